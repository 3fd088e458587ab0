import Foundation
import Logging
import UnpodCore
import UnpodPersistence

/// The live calls of this node (issue 17): gives each to a runner of its agent, pairs the runner's
/// bridge socket and the caller side's socket, relays between them, assembles the transcript, and
/// ends every call exactly once with its status, reason and transcript stored.
actor CallHub {
    let store: SQLStore
    let runners: RunnerRegistry
    let gateways: GatewayRegistry
    /// This node, as the calls it holds name it (`calls.node_id`).
    nonisolated let nodeID: String
    /// The other nodes' runners and sockets (PostgreSQL); idle on one node.
    nonisolated let relay: CallRelay
    let configuration: CallConfiguration
    /// Told whenever this node stores a call's end: the analytics evaluator wakes for its queue.
    let callsEnded = DispatchSignal()
    let logger: Logger
    var calls: [String: LiveCall] = [:]
    /// Waiters for a runner's `job.ack`, by `assign_id`.
    private var acks: [String: CheckedContinuation<RunnerAck, Never>] = [:]

    struct RunnerAck: Sendable {
        let accepted: Bool
        let reason: String?
    }

    init(store: SQLStore, runners: RunnerRegistry, gateways: GatewayRegistry, configuration: CallConfiguration, logger: Logger) {
        self.store = store
        self.runners = runners
        self.gateways = gateways
        var generator = SystemRandomNumberGenerator()
        self.nodeID = "node_" + Base62.random(count: 16, using: &generator)
        self.relay = CallRelay(nodeID: nodeID)
        self.configuration = configuration
        self.logger = logger
    }

    /// Takes a created call, held by this node until it ends. A web call is given to a runner
    /// once its caller side connects (the agent speaks first, and someone must hear it), and ends
    /// `notConnected` if the caller side never does.
    func start(_ call: Call, agentRowID: Int) {
        var generator = SystemRandomNumberGenerator()
        calls[call.callID] = LiveCall(call: call, agentRowID: agentRowID, jobID: "job_" + Base62.random(count: 16, using: &generator))
        let callID = call.callID
        let lifetime = Duration.seconds(configuration.callerTokenLifetime)
        calls[callID]?.callerDeadline = Task {
            try? await Task.sleep(for: lifetime)
            if !Task.isCancelled, let live = self.calls[callID], !live.dispatched {
                await self.end(callID, .notConnected, reason: "the caller side never connected")
            }
        }
    }

    private func beginDispatch(_ callID: String) {
        guard let live = calls[callID], !live.dispatched, !live.ending else { return }
        calls[callID]?.dispatched = true
        // The deadline is met; its sleeping task would otherwise stay for the token's lifetime.
        live.callerDeadline?.cancel()
        calls[callID]?.callerDeadline = nil
        Task { await self.dispatch(callID) }
    }

    // MARK: Phone gateways

    /// A phone call: given to a gateway of the organization (the one that reported it, for an
    /// inbound call), which speaks for the person on the line on the caller-side socket at
    /// `mediaURL` with `token`; the agent is sought once it connects there. No gateway within the
    /// queue timeout ends the call `notConnected`. The assignment, or nil when the call ended.
    @discardableResult
    func startPhoneCall(
        _ call: Call, agentRowID: Int, mediaURL: String, token: String, gateway reporting: Int? = nil, task: CallTaskLease? = nil
    ) async -> PhoneCallAssignment? {
        start(call, agentRowID: agentRowID)
        let callID = call.callID
        calls[callID]?.taskLease = task
        let assignment = PhoneCallAssignment(
            callID: callID, direction: call.direction, agentID: call.agentHandle, toNumber: call.toNumber, fromNumber: call.fromNumber,
            mediaURL: mediaURL, token: token, leaseID: task?.leaseID)
        let started = ContinuousClock.now
        while let live = calls[callID], !live.ending {
            let gateway = reporting.map { gateways.take(connectionID: $0) } ?? gateways.take(orgID: call.orgID)
            if let gateway {
                calls[callID]?.gatewayConnectionID = gateway.connectionID
                await markDispatching(callID)
                // A gateway chosen here is told; one named by the caller gets the assignment as its answer.
                if reporting == nil { gateway.send(.callAssign(assignment)) }
                logger.info("phone call given to a gateway", metadata: ["call_id": "\(callID)", "direction": "\(call.direction)"])
                return assignment
            }
            if reporting != nil || ContinuousClock.now - started > configuration.queueTimeout {
                await end(callID, .notConnected, reason: "no phone gateway of the organization connected within \(configuration.queueTimeout)")
                return nil
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    /// A gateway's news of a call it carries: `ringing`, `active` (the person answered; the agent
    /// is sought when the gateway's caller side connects), or `notConnected` with why.
    func gatewayReported(_ callID: String, status: String, reason: String?, connectionID: Int) async -> Bool {
        guard let live = calls[callID], live.gatewayConnectionID == connectionID else { return false }
        switch status {
        case CallStatus.ringing.rawValue:
            guard live.call.status == .dispatching || live.call.status == .pending else { return true }
            calls[callID]?.call.status = .ringing
            _ = try? await store.markCall(callID, .ringing)
            notifyCaller(callID, .callStatus(CallStatus.ringing.rawValue))
        case CallStatus.active.rawValue:
            break
        case CallStatus.notConnected.rawValue:
            await end(callID, .notConnected, reason: String((reason ?? "USER_DID_NOT_PICK_UP").prefix(200)))
        default:
            return false
        }
        return true
    }

    /// A gateway's socket closed: the calls it carried end `failed`.
    func gatewayGone(connectionID: Int) async {
        for (callID, live) in calls where live.gatewayConnectionID == connectionID && !live.ending {
            calls[callID]?.gatewayConnectionID = nil
            await end(callID, .failed, reason: "the phone gateway carrying the call was lost")
        }
    }

    // MARK: Runners

    /// Offers the call to the agent's runners on any node, least loaded first (this node's first
    /// among equals); a refusal or a missed deadline goes to another, up to three attempts. With no runner connected, a `prompt`
    /// or `endpoint` brain is run by the server and a `playbook` one fails. Past the agent's
    /// `max_concurrent`, or with no runner within the queue timeout, the call ends `notConnected`.
    private func dispatch(_ callID: String) async {
        guard let first = calls[callID] else { return }
        let brain: (settings: SpeechSettings, apiKey: String?)?
        do {
            brain = try await store.brain(agentRowID: first.agentRowID)
        } catch {
            await end(callID, .failed, reason: "the agent's settings could not be read")
            return
        }
        var runnerAgentRowID = first.agentRowID
        if let settings = brain?.settings {
            calls[callID]?.maxDuration = .seconds(settings.maxCallDurationSeconds)
            if settings.brain.kind == .runner, let ref = settings.brain.ref, ref != first.call.agentHandle,
                let served = try? await store.agent(handle: ref), served.orgID == first.call.orgID
            {
                runnerAgentRowID = served.rowID
            }
        }
        let started = ContinuousClock.now
        var attempts = 0
        var tried: Set<String> = []
        while let live = calls[callID], !live.ending {
            if let limit = brain?.settings.maxConcurrent,
                calls.values.count(where: { $0.agentRowID == live.agentRowID && $0.holdsAgentPlace && !$0.ending }) >= limit
            {
                guard ContinuousClock.now - started <= configuration.queueTimeout else {
                    await end(
                        callID, .notConnected,
                        reason: "AGENT_AT_CAPACITY: agent \(live.call.agentHandle) has its max_concurrent (\(limit)) calls in flight")
                    return
                }
                try? await Task.sleep(for: .milliseconds(50))
                continue
            }
            let connected =
                runners.runners(agentRowID: runnerAgentRowID).map { (node: String?.none, runner: $0) }
                + relay.remoteRunners(agentRowID: runnerAgentRowID).map { (node: Optional($0.node), runner: $0.runner) }
            let candidates = connected
                .filter { !tried.contains("\($0.node ?? "")#\($0.runner.connectionID)") && $0.runner.assigned < $0.runner.capacity }
                .sorted { ($0.runner.load, $0.node == nil ? 0 : 1) < ($1.runner.load, $1.node == nil ? 0 : 1) }
            guard let (node, runner) = candidates.first else {
                if connected.isEmpty, attempts == 0, let brain {
                    switch brain.settings.brain.kind {
                    case .prompt, .endpoint:
                        await runServerBrain(callID, brain.settings, apiKey: brain.apiKey)
                        return
                    case .playbook:
                        await end(
                            callID, .failed,
                            reason: "PLAYBOOK_NOT_SUPPORTED: this server does not run playbook brains; give the agent a runner, prompt or endpoint brain")
                        return
                    case .runner:
                        break
                    }
                }
                if attempts >= 3 || ContinuousClock.now - started > configuration.queueTimeout {
                    let why = attempts > 0 ? "no runner of agent \(live.call.agentHandle) accepted the call" :
                        "no runner of agent \(live.call.agentHandle) connected within \(configuration.queueTimeout)"
                    await end(callID, .notConnected, reason: why)
                    return
                }
                try? await Task.sleep(for: .milliseconds(50))
                continue
            }
            tried.insert("\(node ?? "")#\(runner.connectionID)")
            // Full or gone since it was counted: not an attempt.
            if node == nil, !runners.assign(connectionID: runner.connectionID) { continue }
            attempts += 1
            var generator = SystemRandomNumberGenerator()
            let assignID = "asg_" + Base62.random(count: 16, using: &generator)
            let token = "ct_" + Base62.random(count: 32, using: &generator)
            calls[callID]?.runnerToken = token
            calls[callID]?.runnerConnectionID = runner.connectionID
            calls[callID]?.runnerNode = node
            await markDispatching(callID)
            var metadata: [String: JSONValue] = ["direction": .string(live.call.direction)]
            if let greeting = brain?.settings.openingGreeting { metadata["greeting"] = .string(greeting) }
            let assignment = RunnerJobAssignment(
                jobID: live.jobID, callID: callID, agentID: live.call.agentHandle,
                bridgeURL: runner.bridgeBase + BridgeProtocol.pathPrefix + callID, callToken: token, assignID: assignID,
                metadata: .object(metadata))
            if let node {
                var offer = relay.event(.assign, to: node)
                offer.connection = runner.connectionID
                offer.assignment = assignment
                relay.publish(offer)
            } else {
                runners.send(connectionID: runner.connectionID, .jobAssign(assignment))
            }
            let ack = await waitForAck(assignID, within: .milliseconds(assignment.deadlineMilliseconds))
            if ack.accepted {
                logger.info("call assigned", metadata: ["call_id": "\(callID)", "worker_id": "\(runner.workerID)"])
                // The dispatch task ends here (its frames are large; a call must not keep them);
                // a small timer waits for the dial.
                let dialTimeout = configuration.dialTimeout
                calls[callID]?.dialDeadline = Task {
                    try? await Task.sleep(for: dialTimeout)
                    if !Task.isCancelled { await self.dialMissed(callID, token: token) }
                }
                return
            }
            logger.info(
                "runner did not take the call",
                metadata: ["call_id": "\(callID)", "worker_id": "\(runner.workerID)", "reason": "\(ack.reason ?? "no ack in time")"])
            if let refused = calls[callID] { releaseRunner(refused) }
            calls[callID]?.runnerConnectionID = nil
            calls[callID]?.runnerNode = nil
            calls[callID]?.runnerToken = nil
        }
    }

    private func markDispatching(_ callID: String) async {
        guard calls[callID]?.call.status == .pending else { return }
        calls[callID]?.call.status = .dispatching
        _ = try? await store.markCall(callID, .dispatching)
        notifyCaller(callID, .callStatus(CallStatus.dispatching.rawValue))
    }

    /// The call is connected: stored and told to the caller side, and ended by the server past its
    /// longest duration (the agent's `max_call_duration_s`, within the server's own limit).
    private func markActive(_ callID: String) async {
        calls[callID]?.call.status = .active
        _ = try? await store.markCall(callID, .active)
        notifyCaller(callID, .callStatus(CallStatus.active.rawValue))
        let limit = calls[callID]?.maxDuration.map { min($0, configuration.maxCallDuration) } ?? configuration.maxCallDuration
        calls[callID]?.durationLimit = Task {
            try? await Task.sleep(for: limit)
            if !Task.isCancelled { await self.end(callID, .connected, reason: "MAX_DURATION_REACHED") }
        }
    }

    // MARK: Server-run brains

    /// A `prompt` or `endpoint` brain: the server answers each user turn from the model, streamed
    /// to the caller side as a runner's verbs would be, after the agent's greeting.
    private func runServerBrain(_ callID: String, _ settings: SpeechSettings, apiKey: String?) async {
        guard let live = calls[callID] else { return }
        var endpoint: ChatEndpoint
        let toolbox: Toolbox
        do {
            endpoint = try ChatEndpoint(
                brain: settings.brain, apiKey: apiKey, operator: configuration.languageModel, instructions: live.call.instructions)
            toolbox = try await self.toolbox(agentRowID: live.agentRowID, orgID: live.call.orgID)
        } catch {
            await end(callID, .failed, reason: "BRAIN_UNAVAILABLE: \(error)")
            return
        }
        endpoint.tools = toolbox.specs
        calls[callID]?.serverBrain = endpoint
        calls[callID]?.toolbox = toolbox
        await markDispatching(callID)
        calls[callID]?.bridgeGreeted = true
        await markActive(callID)
        logger.info("call answered by the server", metadata: ["call_id": "\(callID)", "brain": "\(settings.brain.kind.rawValue)"])
        if let greeting = settings.openingGreeting { await fromRunner(callID, .say(greeting)) }
        let waiting = calls[callID]?.waitingTurns ?? []
        calls[callID]?.waitingTurns = []
        for turn in waiting { userSaid(callID, turn) }
    }

    /// The agent's tools: its attached custom tools, and whether it may transfer.
    private func toolbox(agentRowID: Int, orgID: Int) async throws -> Toolbox {
        let names = Set(try await store.agentTools(agentRowID: agentRowID))
        let custom = names.isEmpty ? [] : try await store.customTools(orgID: orgID).filter { names.contains($0.toolID) }
        return Toolbox(
            custom: Dictionary(uniqueKeysWithValues: custom.map { ($0.toolID, $0) }), transfer: names.contains("transfer"),
            caller: configuration.toolCaller)
    }

    /// Streams the reply to the conversation so far (after the reply before it, if any). When the
    /// model calls tools, they run and their results go back to it within the same turn (a few
    /// rounds at most); `end_call` ends the call once the turn's reply is said.
    private func askServerBrain(_ callID: String) {
        guard let live = calls[callID], let endpoint = live.serverBrain else { return }
        let toolbox = live.toolbox
        let previous = live.replyTask
        calls[callID]?.replyTask = Task {
            await previous?.value
            guard !Task.isCancelled, let transcript = self.calls[callID]?.transcript else { return }
            do {
                var extra: [JSONValue] = []
                var endAfter = false
                for _ in 0..<Toolbox.maxRounds {
                    let asked = try await ChatCompletionsStream.reply(endpoint, transcript: transcript, extra: extra) { delta in
                        await self.fromRunner(callID, .textDelta(delta))
                    }
                    guard let toolbox, !asked.isEmpty, !Task.isCancelled else { break }
                    extra.append(Self.assistantMessage(calling: asked))
                    for call in asked {
                        let outcome = await toolbox.run(call)
                        self.logger.info("tool called", metadata: ["call_id": "\(callID)", "tool": "\(call.name)"])
                        extra.append(.object(["role": .string("tool"), "tool_call_id": .string(call.id), "content": .string(outcome.result)]))
                        switch outcome.effect {
                        case .none: break
                        case .endCall: endAfter = true
                        case .transfer(let type, let target):
                            self.notifyCaller(callID, .agent(.transfer(type: type, target: target, mode: "cold", announcement: nil)))
                        }
                    }
                    if endAfter { break }
                }
                if !Task.isCancelled { await self.fromRunner(callID, .textEnd) }
                if endAfter, !Task.isCancelled {
                    // Ended from a task of its own: ending cancels this reply's task.
                    Task { await self.end(callID, .connected, reason: "AGENT_ENDED_CALL") }
                }
            } catch {
                if !Task.isCancelled, self.calls[callID]?.ending == false {
                    self.logger.warning("the agent's brain failed", metadata: ["call_id": "\(callID)", "error": "\(error)"])
                    // Ended from a task of its own: ending cancels this reply's task, which must not cancel the write.
                    Task { await self.end(callID, .failed, reason: "BRAIN_FAILED: \(error)") }
                }
            }
        }
    }

    /// The assistant message that made `calls`, as the chat API wants it before their results.
    static func assistantMessage(calling calls: [ToolCall]) -> JSONValue {
        .object([
            "role": .string("assistant"), "content": .null,
            "tool_calls": .array(
                calls.map {
                    .object([
                        "id": .string($0.id), "type": .string("function"),
                        "function": .object(["name": .string($0.name), "arguments": .string($0.arguments)]),
                    ])
                }),
        ])
    }

    private func waitForAck(_ assignID: String, within deadline: Duration) async -> RunnerAck {
        let timer = Task {
            try? await Task.sleep(for: deadline)
            self.acknowledge(assignID: assignID, accepted: false, reason: "no job.ack within the deadline")
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { acks[assignID] = $0 }
    }

    /// A runner's `job.ack` (or the deadline's stand-in for one); for a call another node holds,
    /// passed on to that node.
    func acknowledge(assignID: String, accepted: Bool, reason: String?) {
        if let waiter = acks.removeValue(forKey: assignID) {
            waiter.resume(returning: RunnerAck(accepted: accepted, reason: reason))
        } else if let job = relay.relayedJob(assignID: assignID) {
            var ack = relay.event(.ack, to: job.holder)
            ack.assignID = assignID
            ack.accepted = accepted
            ack.reason = reason
            relay.publish(ack)
        }
    }

    /// An accepted job must dial its bridge and say `hello` within the dial timeout (a socket that
    /// opens and never greets would otherwise hold the call in flight).
    private func dialMissed(_ callID: String, token: String) async {
        guard let live = calls[callID], live.runnerToken == token, !live.bridgeGreeted, !live.ending else { return }
        cancelRunner(live)
        await end(callID, .failed, reason: "the runner accepted the call and did not dial its bridge")
    }

    // MARK: Bridge

    /// The runner's bridge socket for a call held here: 4003 unless the call is in flight and the
    /// token is its runner's; 4009 while another bridge socket is live.
    func attachBridge(_ callID: String, token: String, outbox: SocketOutbox) -> CallSocketRefusal? {
        guard let live = calls[callID], !live.ending, let expected = live.runnerToken,
            ConstantTime.equal(expected, token)
        else { return .unknownBridge }
        guard live.bridge == nil else { return .busyBridge }
        calls[callID]?.bridge = outbox
        return nil
    }

    /// A frame of the runner's bridge.
    func fromBridge(_ callID: String, _ frame: BridgeRunnerMessage) async {
        switch frame {
        case .hello: await bridgeHello(callID)
        case .verb(let verb): await fromRunner(callID, verb)
        case .other(let event): logger.debug("bridge event not acted on", metadata: ["event": "\(event)"])
        }
    }

    /// The runner said `hello`: the handshake's two answers, and the call is active.
    func bridgeHello(_ callID: String) async {
        guard let live = calls[callID], let bridge = live.bridge, !live.bridgeGreeted else { return }
        calls[callID]?.bridgeGreeted = true
        live.dialDeadline?.cancel()
        calls[callID]?.dialDeadline = nil
        let call = live.call
        bridge.send(.text(BridgeProtocol.encode(.helloAck(callID: callID, sessionID: callID, jobID: live.jobID, roomID: callID))))
        var metadata: [String: JSONValue] = [
            "direction": .string(call.direction), "data": call.data, "agent_id": .string(call.agentHandle),
            "org_id": .string(call.orgHandle), "project_id": .string(call.orgHandle),
        ]
        if let to = call.toNumber { metadata["to_number"] = .string(to) }
        if let from = call.fromNumber { metadata["from_number"] = .string(from) }
        if let instructions = call.instructions { metadata["instructions"] = .string(instructions) }
        bridge.send(
            .text(
                BridgeProtocol.encode(
                    .callStarted(
                        sessionID: callID, jobID: live.jobID, roomID: callID, agentID: call.agentHandle, voiceProfileID: nil,
                        metadata: .object(metadata)))))
        await markActive(callID)
        for turn in live.waitingTurns { userSaid(callID, turn) }
        calls[callID]?.waitingTurns = []
    }

    /// A verb from the runner: into the transcript, and on to the caller side.
    func fromRunner(_ callID: String, _ verb: AgentVerb) async {
        guard calls[callID] != nil else { return }
        switch verb {
        case .say(let text):
            if !AgentVerb.isControlSignal(text) { record(callID, .agent, text) }
        case .textDelta(let text):
            calls[callID]?.reply += text
        case .textEnd:
            if let reply = calls[callID]?.reply, !reply.isEmpty { record(callID, .agent, reply) }
            calls[callID]?.reply = ""
            let owed = max(0, (calls[callID]?.repliesOwed ?? 1) - 1)
            calls[callID]?.repliesOwed = owed
        case .endCall, .transfer:
            break
        }
        if case .say(let text) = verb, AgentVerb.isControlSignal(text) { return }
        notifyCaller(callID, .agent(verb))
        if case .endCall = verb { await end(callID, .connected, reason: "AGENT_ENDED_CALL") }
        if case .textEnd = verb, calls[callID]?.ending == true, calls[callID]?.repliesOwed == 0 {
            closeBridge(callID)
        }
    }

    /// The bridge socket closed: a clean close (1000) is the agent ending the call, anything else
    /// a lost runner.
    func bridgeClosed(_ callID: String, connectionID: Int, clean: Bool) async {
        guard let live = calls[callID], live.bridge?.connectionID == connectionID else { return }
        calls[callID]?.bridge = nil
        if live.ending { return }
        if clean {
            await end(callID, .connected, reason: "AGENT_ENDED_CALL")
        } else {
            await end(callID, .failed, reason: "the runner's bridge socket was lost")
        }
    }

    // MARK: Caller side

    /// The caller side's socket: told where the call is at once.
    func attachCaller(_ callID: String, outbox: SocketOutbox) -> Bool {
        guard let live = calls[callID], !live.ending, live.caller == nil else { return false }
        calls[callID]?.caller = outbox
        outbox.send(.text(CallerProtocol.encode(.callStatus(live.call.status.rawValue))))
        beginDispatch(callID)
        return true
    }

    func fromCaller(_ callID: String, _ message: CallerClientMessage) async {
        guard let live = calls[callID], !live.ending else { return }
        switch message {
        case .userText(let text):
            guard !text.isEmpty else { return }
            if live.bridgeGreeted {
                userSaid(callID, text)
            } else {
                calls[callID]?.waitingTurns.append(text)
            }
        case .userInterrupted:
            if let reply = live.replyTask, live.serverBrain != nil {
                // The reply stops where it is; what was said of it stays in the transcript.
                reply.cancel()
                calls[callID]?.replyTask = nil
                if !live.reply.isEmpty || live.repliesOwed > 0 { await fromRunner(callID, .textEnd) }
            } else if live.bridgeGreeted {
                live.bridge?.send(.text(BridgeProtocol.encode(.userInterrupted)))
            }
        case .hangup:
            await hangUp(callID, reason: "USER_HUNG_UP_IN_CALL")
        case .unknown:
            break
        }
    }

    func callerClosed(_ callID: String, connectionID: Int) async {
        guard let live = calls[callID], live.caller?.connectionID == connectionID else { return }
        calls[callID]?.caller = nil
        if !live.ending { await hangUp(callID, reason: "USER_HUNG_UP_IN_CALL") }
    }

    /// Hangs a call up from outside the runner (the caller side, the API): a call that never
    /// connected ends `notConnected`, a live one `connected`.
    func hangUp(_ callID: String, reason: String) async {
        guard let live = calls[callID], !live.ending else { return }
        await end(callID, live.call.status == .active ? .connected : .notConnected, reason: reason)
    }

    func isLive(_ callID: String) -> Bool { calls[callID] != nil }

    /// Hands a live call on through its caller side: the phone gateway that carries it gets
    /// `agent.transfer` (as when a runner transfers) and does it on the phone network. A cold
    /// transfer ends this leg (`connected`, `TRANSFERRED`); a warm one keeps it until the caller
    /// side hangs up. Nil when sent; else why it cannot be.
    func transfer(_ callID: String, type: String, target: String, mode: String) async -> String? {
        guard let live = calls[callID], !live.ending else { return "The session has ended; there is nothing to transfer." }
        guard live.call.status == .active else { return "The session is not connected yet; transfer it once it is active." }
        guard live.call.direction != "web" else {
            return "This session's caller side is a web client, which cannot be transferred; transfers need a phone call through a gateway (unpod worker --gateway)."
        }
        guard live.caller != nil else { return "The session's caller side is not connected; nothing can carry the transfer." }
        notifyCaller(callID, .agent(.transfer(type: type, target: target, mode: mode, announcement: nil)))
        if mode == "cold" { await end(callID, .connected, reason: "TRANSFERRED") }
        return nil
    }

    // MARK: Ending

    /// Ends a call once: stored with its transcript, the caller told, the runner's bridge closed
    /// (after the reply in flight, if any, so the SDK does not redial), the runner's slot freed.
    func end(_ callID: String, _ status: CallStatus, reason: String) async {
        guard var live = calls[callID], !live.ending else { return }
        live.ending = true
        if !live.reply.isEmpty {
            live.transcript.append(TranscriptTurn(role: .agent, content: live.reply, timestamp: store.clock.now()))
            live.reply = ""
        }
        live.call.status = status
        live.call.endReason = reason
        for timer in [live.callerDeadline, live.dialDeadline, live.durationLimit].compactMap({ $0 }) { timer.cancel() }
        live.durationLimit = nil
        live.callerDeadline = nil
        live.dialDeadline = nil
        live.replyTask?.cancel()
        calls[callID] = live
        do {
            try await store.endCall(callID, status: status, endReason: reason, transcript: live.transcript, task: live.taskLease)
            callsEnded.notify()
        } catch {
            logger.error("could not store a call's end", metadata: ["call_id": "\(callID)", "error": "\(error)"])
        }
        logger.info("call ended", metadata: ["call_id": "\(callID)", "status": "\(status.rawValue)", "reason": "\(reason)"])
        releaseRunner(live)
        if let gateway = live.gatewayConnectionID {
            gateways.send(connectionID: gateway, .callEnded(callID: callID, status: status.rawValue, endReason: reason))
            // The task is complete (in the call's end): the worker's lease on it is answered.
            if let lease = live.taskLease { gateways.send(connectionID: gateway, .completed(leaseID: lease.leaseID)) }
            gateways.release(connectionID: gateway)
        }
        if let caller = live.caller {
            caller.send(.text(CallerProtocol.encode(.callEnded(status: status.rawValue, endReason: reason))))
            caller.send(.close(code: 1000, reason: "call ended"))
        }
        if live.bridge != nil, live.repliesOwed > 0 {
            let grace = configuration.replyGrace
            Task {
                try? await Task.sleep(for: grace)
                self.closeBridge(callID)
            }
        } else {
            closeBridge(callID)
        }
    }

    private func closeBridge(_ callID: String) {
        guard let live = calls.removeValue(forKey: callID) else { return }
        live.bridge?.send(.close(code: 1000, reason: "call ended"))
        if live.bridge == nil, !live.bridgeGreeted { cancelRunner(live) }
    }

    /// Frees the call's place on its runner, on whichever node the runner is.
    private func releaseRunner(_ live: LiveCall) {
        toRunner(live, .release) { runners.release(connectionID: $0) }
    }

    /// Tells the call's runner to abandon its job (it has not dialed, or the call ended first).
    private func cancelRunner(_ live: LiveCall) {
        toRunner(live, .cancel) { runners.cancel(connectionID: $0, jobID: live.jobID) }
    }

    /// Does `here` for a runner on this node, or sends `kind` (with the job) to the runner's node.
    private func toRunner(_ live: LiveCall, _ kind: CallRelayEvent.Kind, here: (Int) -> Void) {
        guard let connectionID = live.runnerConnectionID else { return }
        guard let node = live.runnerNode else { return here(connectionID) }
        var event = relay.event(kind, to: node)
        event.connection = connectionID
        event.jobID = live.jobID
        relay.publish(event)
    }

    // MARK: Turns

    private func userSaid(_ callID: String, _ text: String) {
        record(callID, .user, text)
        calls[callID]?.repliesOwed += 1
        if calls[callID]?.serverBrain != nil {
            askServerBrain(callID)
        } else {
            calls[callID]?.bridge?.send(.text(BridgeProtocol.encode(.userText(text))))
        }
    }

    private func record(_ callID: String, _ role: TranscriptTurn.Role, _ text: String) {
        calls[callID]?.transcript.append(TranscriptTurn(role: role, content: text, timestamp: store.clock.now()))
    }

    private func notifyCaller(_ callID: String, _ message: CallerServerMessage) {
        calls[callID]?.caller?.send(.text(CallerProtocol.encode(message)))
    }
}
