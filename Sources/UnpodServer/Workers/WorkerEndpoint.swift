import Foundation
import HTTPTypes
import HummingbirdWebSocket
import Logging
import NIOCore
import Synchronization
import UnpodCore
import UnpodPersistence

/// `GET /agents/worker?access_token=…`, upgraded to a WebSocket: an agent worker that carries out
/// tasks (issue 9, item 3). The worker registers the agent handles it serves and how many tasks it
/// takes at once; the server leases it due tasks of those agents, and records its results.
///
/// Leases are rows in the database (``SQLStore/claimTasks(agentRowIDs:limit:workerID:leaseFor:)``),
/// so any node may lease any task and no task is leased twice; a lease that is not renewed by a
/// heartbeat runs out and the task goes back to the queue; a result on a lease that is no longer
/// current is refused, so a task is completed once.
struct WorkerEndpoint: WebSocketService {
    static let maxMessageBytes = 1 << 20
    static let maxCapacity = 100

    let authority: AccessTokenAuthority
    let configuration: WorkerConfiguration
    let signal: DispatchSignal
    /// Phone calls, for workers registered as gateways (issue 17, item 4).
    let calls: CallHub
    let gateways: GatewayRegistry
    let tokens: AccessTokenSettings

    var store: SQLStore { authority.store }

    func handles(_ head: HTTPRequest) -> Bool {
        let path = head.path ?? ""
        return path == WorkerProtocol.path || path.hasPrefix(WorkerProtocol.path + "?")
    }

    func serve(_ head: HTTPRequest, peer: SocketAddress?, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, logger: Logger) async {
        let query = RealtimeEndpoint.query(head.path ?? "")
        guard let token = query["access_token"], !token.isEmpty else {
            return await RealtimeEndpoint.refuse(outbound, .invalidToken("no access_token"))
        }
        let orgID: Int
        let actor: AuditActor
        do {
            switch try await authority.admitWorker(token, organization: query["org"]) {
            case .success(let admitted):
                orgID = admitted.orgID
                actor = .apiKey(admitted.key.keyID, userID: admitted.key.userID, email: nil, clientAddress: nil, requestID: nil)
            case .failure(let close): return await RealtimeEndpoint.refuse(outbound, close)
            }
        } catch {
            logger.error("worker admission failed", metadata: ["error": "\(error)"])
            return await RealtimeEndpoint.refuse(outbound, .invalidToken("the server could not check the token"))
        }
        var messages = inbound.messages(maxSize: Self.maxMessageBytes).makeAsyncIterator()
        let registration: (agents: [Int], capacity: Int, gateway: Bool)
        switch await register(&messages, orgID: orgID) {
        case .success(let registered): registration = registered
        case .failure(let close): return await RealtimeEndpoint.close(outbound, close)
        }
        var generator = SystemRandomNumberGenerator()
        let workerID = "wrk_" + Base62.random(count: 16, using: &generator)
        let session = WorkerSession(
            endpoint: self, workerID: workerID, orgID: orgID, agents: registration.agents, capacity: registration.capacity,
            gateway: registration.gateway, serverURL: tokens.serverURL(authority: head.authority), actor: actor, logger: logger)
        logger.info(
            "worker connected",
            metadata: ["worker_id": "\(workerID)", "capacity": "\(registration.capacity)", "gateway": "\(registration.gateway)"])
        await session.run(messages: &messages, outbound: outbound)
        do {
            try await store.releaseLeases(workerID: workerID)
        } catch {
            logger.warning("could not release a worker's leases; they run out on their own", metadata: ["error": "\(error)"])
        }
        signal.notify()
        logger.info("worker disconnected", metadata: ["worker_id": "\(workerID)"])
    }

    /// The first message: `register`, with agents of the worker's organization and a capacity.
    private func register(_ messages: inout WebSocketInboundMessageStream.AsyncIterator, orgID: Int) async
        -> Result<(agents: [Int], capacity: Int, gateway: Bool), RealtimeClose>
    {
        let first: WebSocketMessage?
        do {
            first = try await messages.next()
        } catch {
            return .failure(.protocolError("no register message"))
        }
        guard case .text(let text)? = first, case .register(let named, let asked, let version, let gateway)? = WorkerProtocol.clientMessage(text),
            version ?? WorkerProtocol.version == WorkerProtocol.version
        else { return .failure(.protocolError("the first message must be register (protocol version 1)")) }
        let isGateway = gateway ?? false
        let handles = named ?? []
        guard (isGateway ? 0 : 1)...100 ~= handles.count else {
            return .failure(.protocolError("register names 1 to 100 agent handles (a gateway may name none)"))
        }
        let capacity = asked ?? 1
        guard (1...Self.maxCapacity).contains(capacity) else {
            return .failure(.protocolError("capacity is 1 to \(Self.maxCapacity)"))
        }
        var agents: [Int] = []
        for handle in Set(handles) {
            guard let agent = try? await store.agent(handle: handle), agent.orgID == orgID else {
                return .failure(.noPermission("no agent \(handle) in the worker's organization"))
            }
            agents.append(agent.rowID)
        }
        return .success((agents.sorted(), capacity, isGateway))
    }
}

/// One connected worker: leases it tasks up to its capacity, and records what it sends back.
private struct WorkerSession: Sendable {
    let endpoint: WorkerEndpoint
    let workerID: String
    let orgID: Int
    let agents: [Int]
    let capacity: Int
    /// Whether it also carries the organization's phone calls.
    let gateway: Bool
    /// Where callers and runners connect (`ws://host:port`), for the phone calls it carries.
    let serverURL: String
    /// The worker's key, which the audit log names for its results.
    let actor: AuditActor
    let logger: Logger
    /// Leases this connection holds and has not answered yet.
    let held = LeaseSet()

    var store: SQLStore { endpoint.store }
    var configuration: WorkerConfiguration { endpoint.configuration }

    func run(messages: inout WebSocketInboundMessageStream.AsyncIterator, outbound: WebSocketOutboundWriter) async {
        let (frames, outbox) = AsyncStream.makeStream(of: String.self)
        outbox.yield(
            WorkerProtocol.encode(
                WorkerServerMessage.registered(
                    workerID: workerID, leaseSeconds: Int(configuration.leaseDuration),
                    heartbeatSeconds: max(1, Int(configuration.heartbeatInterval)))))
        // Wake-ups: a task created or a lease answered on this node, or the poll's tick.
        let (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let wakeID = endpoint.signal.subscribe(wake)
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: configuration.pollInterval)
                wake.yield()
            }
        }
        let writer = Task {
            for await frame in frames { try? await outbound.write(.text(frame)) }
        }
        // Every worker can be reached by the calls of the tasks it leases; a gateway also takes the
        // organization's phone calls. A task completed by its call's end frees the worker's place.
        let held = self.held
        let signal = endpoint.signal
        let connectionID = endpoint.gateways.add(orgID: orgID, capacity: capacity, carriesPhoneCalls: gateway) { message in
            if case .completed(let lease) = message {
                held.remove(lease)
                signal.notify()
            }
            outbox.yield(WorkerProtocol.encode(message))
        }
        let dispatcher = Task { await dispatch(outbox, wakes: wakes, connectionID: connectionID) }
        await read(&messages, outbox: outbox, connectionID: connectionID)
        endpoint.gateways.remove(connectionID: connectionID)
        await endpoint.calls.gatewayGone(connectionID: connectionID)
        dispatcher.cancel()
        ticker.cancel()
        endpoint.signal.unsubscribe(wakeID)
        wake.finish()
        outbox.finish()
        await writer.value
    }

    /// Leases due tasks while the worker has room, waiting for a wake-up or the poll interval between tries.
    private func dispatch(_ outbox: AsyncStream<String>.Continuation, wakes: AsyncStream<Void>, connectionID: Int) async {
        var wake = wakes.makeAsyncIterator()
        while !Task.isCancelled {
            let room = capacity - held.count
            if room > 0 {
                do {
                    let leases = try await store.claimTasks(
                        agentRowIDs: agents, limit: room, workerID: workerID, leaseFor: configuration.leaseDuration)
                    // Each agent of the batch looked up once: with a brain, its tasks are carried out as calls.
                    var callAgents: [String: AgentRecord?] = [:]
                    for lease in leases {
                        held.insert(lease.leaseID)
                        let handle = lease.task.assignee
                        if callAgents[handle] == nil { callAgents[handle] = .some(await agentWithBrain(handle)) }
                        if let agent = callAgents[handle] ?? nil,
                            await startTaskCall(lease, agent: agent, connectionID: connectionID, outbox: outbox)
                        {
                            continue
                        }
                        outbox.yield(
                            WorkerProtocol.encode(
                                WorkerServerMessage.assignment(
                                    leaseID: lease.leaseID, leaseExpiresAt: lease.expiresAt, task: lease.task)))
                    }
                    if leases.count == room { continue }
                } catch {
                    logger.warning("could not lease tasks", metadata: ["error": "\(error)"])
                }
            }
            guard await wake.next() != nil else { return }
        }
    }

    /// Reads the worker's frames and hands its messages, in order, to ``answerAll(_:waiting:outbox:connectionID:)``.
    ///
    /// Reading never waits for the database: the socket's pongs are read here too, and a worker whose
    /// results queue behind slow writes (a busy node) must not be closed for a ping timeout, which
    /// would also lose the answers to results already recorded. At most ``maxWaitingMessages`` wait;
    /// a worker that sends more is closed. Messages read before the socket closed are still answered
    /// (recorded) before the worker's leases are released.
    private func read(
        _ messages: inout WebSocketInboundMessageStream.AsyncIterator, outbox: AsyncStream<String>.Continuation, connectionID: Int
    ) async {
        let (requests, queue) = AsyncStream.makeStream(of: WorkerClientMessage.self)
        let waiting = WaitingCount()
        let answering = Task { await answerAll(requests, waiting: waiting, outbox: outbox, connectionID: connectionID) }
        while true {
            let message: WebSocketMessage?
            do {
                message = try await messages.next()
            } catch {
                break
            }
            guard let message else { break }
            // A frame that is not a message has no lease to answer for: its error may overtake the
            // answers still owed to earlier messages.
            guard case .text(let text) = message, let request = WorkerProtocol.clientMessage(text) else {
                logger.warning("worker sent a frame that is not the protocol's", metadata: ["worker_id": "\(workerID)"])
                outbox.yield(WorkerProtocol.encode(WorkerServerMessage.error(leaseID: nil, reason: "frames are JSON objects with a type")))
                continue
            }
            guard waiting.add() <= Self.maxWaitingMessages else {
                logger.warning("worker sent more messages than it waits answers for; closing", metadata: ["worker_id": "\(workerID)"])
                break
            }
            queue.yield(request)
        }
        queue.finish()
        await answering.value
    }

    /// The most messages of one worker read and not yet answered.
    static let maxWaitingMessages = 4 * WorkerEndpoint.maxCapacity

    /// Answers the worker's messages one after another, in the order they came.
    private func answerAll(
        _ requests: AsyncStream<WorkerClientMessage>, waiting: WaitingCount, outbox: AsyncStream<String>.Continuation, connectionID: Int
    ) async {
        for await request in requests {
            defer { waiting.remove() }
            switch request {
            case .callStatus(let callID, let status, let reason):
                guard let callID, let status,
                    await endpoint.calls.gatewayReported(callID, status: status, reason: reason, connectionID: connectionID)
                else {
                    outbox.yield(
                        WorkerProtocol.encode(
                            WorkerServerMessage.error(leaseID: nil, reason: "call.status needs a call this worker carries and ringing, active or notConnected")))
                    continue
                }
                outbox.yield(WorkerProtocol.encode(WorkerServerMessage.callUpdated(callID: callID)))
            case .inboundCall(let toNumber, let fromNumber):
                outbox.yield(WorkerProtocol.encode(await inbound(to: toNumber, from: fromNumber, gatewayID: gateway ? connectionID : nil)))
            default:
                outbox.yield(WorkerProtocol.encode(await handle(request)))
            }
        }
    }

    /// One message from the worker, and the answer to it.
    private func handle(_ request: WorkerClientMessage) async -> WorkerServerMessage {
        guard let leaseID = request.leaseID, held.contains(leaseID) else {
            return .refused(leaseID: request.leaseID, reason: "not a lease of this worker")
        }
        do {
            switch request {
            case .heartbeat:
                guard try await store.renewLease(leaseID, for: configuration.leaseDuration) else { return lost(leaseID) }
                return .renewed(leaseID: leaseID)
            case .progress(_, let status):
                guard status == "running" else { return .error(leaseID: leaseID, reason: "progress status is running") }
                guard try await store.markRunning(leaseID, for: configuration.leaseDuration) else { return lost(leaseID) }
                return .renewed(leaseID: leaseID)
            case .complete(_, let output):
                guard let output, case .object = output else {
                    return .error(leaseID: leaseID, reason: "complete needs an output object")
                }
                let now = endpoint.authority.clock.now()
                let outcome = try await store.completeTask(leaseID, output: output, actor: actor) { input in Self.callLog(output, input: input, now: now) }
                return answered(leaseID, outcome) { _ in .completed(leaseID: leaseID) }
            case .fail(_, let reason):
                let reason = String((reason ?? "unknown").prefix(1000))
                let outcome = try await store.failTask(leaseID, reason: reason, policy: configuration.retry, actor: actor)
                return answered(leaseID, outcome) { retry in .failed(leaseID: leaseID, retry: retry) }
            case .register, .unknown, .callStatus, .inboundCall:
                return .error(leaseID: leaseID, reason: "unknown message type \(request.type)")
            }
        } catch {
            logger.error("could not record a worker's message", metadata: ["error": "\(error)", "type": "\(request.type)"])
            return .error(leaseID: leaseID, reason: "the server could not record it; send it again")
        }
    }

    /// The worker's agent `handle` when it has a brain (its tasks are then live calls); nil for an
    /// agent without one (the worker gets its tasks as before) or when it cannot be read.
    private func agentWithBrain(_ handle: String) async -> AgentRecord? {
        do {
            guard let agent = try await store.agent(handle: handle), agent.orgID == orgID,
                try await store.brain(agentRowID: agent.rowID) != nil
            else { return nil }
            return agent
        } catch {
            logger.warning("could not read an agent's brain; the worker gets its tasks", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// A task of an agent with a brain carried out as a live call (issue 17, item 4): the worker
    /// speaks for the contact on the caller side, the agent's runner or server-run brain for the
    /// agent, and the call's end completes the task. False when the call could not be made (the
    /// worker then gets the task as before).
    private func startTaskCall(
        _ lease: TaskLease, agent: AgentRecord, connectionID: Int, outbox: AsyncStream<String>.Continuation
    ) async -> Bool {
        do {
            var generator = SystemRandomNumberGenerator()
            let token = "cs_" + Base62.random(count: 40, using: &generator)
            let contact = lease.task.input["contact_number"]?.stringValue
            let call = try await store.createCall(
                NewCall(
                    orgID: orgID, agent: agent, direction: "outbound", toNumber: contact, instructions: lease.task.task.objective,
                    data: lease.task.input, callerToken: token, nodeID: endpoint.calls.nodeID),
                actor: actor)
            let mediaURL = serverURL + CallerProtocol.pathPrefix + call.callID + CallerProtocol.pathSuffix
            logger.info("task carried out as a call", metadata: ["task_id": "\(lease.task.taskID)", "call_id": "\(call.callID)"])
            if let assignment = await endpoint.calls.startPhoneCall(
                call, agentRowID: agent.rowID, mediaURL: mediaURL, token: token, gateway: connectionID,
                task: CallTaskLease(leaseID: lease.leaseID, actor: actor))
            {
                outbox.yield(WorkerProtocol.encode(WorkerServerMessage.callAssign(assignment)))
            }
            return true
        } catch {
            logger.warning("could not make a task's call; the worker gets the task", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// A gateway's inbound call: a call for the agent attached to the number, carried by this
    /// gateway; refused with the reason when the number is not the organization's or has no agent.
    private func inbound(to toNumber: String?, from fromNumber: String?, gatewayID: Int?) async -> WorkerServerMessage {
        guard let gatewayID else { return .callRefused(toNumber: toNumber, reason: "only a gateway (register with gateway: true) reports inbound calls") }
        guard let toNumber, PhoneNumber.isE164(toNumber), let fromNumber, PhoneNumber.isE164(fromNumber) else {
            return .callRefused(toNumber: toNumber, reason: "to_number and from_number are E.164 numbers such as +14155550100")
        }
        do {
            guard let attachment = try await store.numberAttachment(toNumber, orgID: orgID) else {
                return .callRefused(toNumber: toNumber, reason: "\(toNumber) is not a number of the organization")
            }
            guard let handle = attachment, let agent = try await store.agent(handle: handle), agent.orgID == orgID,
                agent.agent.state == .published
            else { return .callRefused(toNumber: toNumber, reason: "no agent is attached to \(toNumber)") }
            var generator = SystemRandomNumberGenerator()
            let token = "cs_" + Base62.random(count: 40, using: &generator)
            let call = try await store.createCall(
                NewCall(
                    orgID: orgID, agent: agent, direction: "inbound", toNumber: toNumber, fromNumber: fromNumber, data: .emptyObject,
                    callerToken: token, nodeID: endpoint.calls.nodeID),
                actor: actor)
            let mediaURL = serverURL + CallerProtocol.pathPrefix + call.callID + CallerProtocol.pathSuffix
            guard
                let assignment = await endpoint.calls.startPhoneCall(
                    call, agentRowID: agent.rowID, mediaURL: mediaURL, token: token, gateway: gatewayID)
            else { return .callRefused(toNumber: toNumber, reason: "the call ended before it started") }
            return .callAssign(assignment)
        } catch {
            logger.error("could not make an inbound call", metadata: ["error": "\(error)"])
            return .callRefused(toNumber: toNumber, reason: "the server could not make the call; try again")
        }
    }

    private func answered(
        _ leaseID: String, _ outcome: LeaseOutcome, _ recorded: (_ retry: Bool) -> WorkerServerMessage
    ) -> WorkerServerMessage {
        held.remove(leaseID)
        endpoint.signal.notify()
        switch outcome {
        case .recorded(let retry): return recorded(retry)
        case .notCurrent: return .refused(leaseID: leaseID, reason: "the lease is no longer current")
        }
    }

    private func lost(_ leaseID: String) -> WorkerServerMessage {
        held.remove(leaseID)
        endpoint.signal.notify()
        return .refused(leaseID: leaseID, reason: "the lease is no longer current")
    }

    /// The call log a completed task writes, from its output (2.4.3) and the contact it called.
    static func callLog(_ output: JSONValue, input: JSONValue, now: Date) -> CallLog {
        func date(_ key: String) -> Date? { output[key]?.stringValue.flatMap { Timestamp.parse($0)?.date } }
        let start = date("start_time")
        let end = date("end_time")
        let duration: Int =
            switch output["duration"] {
            case .integer(let seconds)?: Int(seconds)
            case .number(let seconds)?: Int(seconds.rounded())
            default: start.flatMap { start in end.map { Int($0.timeIntervalSince(start).rounded()) } } ?? 0
            }
        let status = output["call_status"]?.stringValue.flatMap(CallLog.CallStatus.init(rawValue:)) ?? (duration > 0 ? .completed : .missed)
        return CallLog(
            id: 0, callId: output["call_id"]?.stringValue ?? "call_" + UUID().uuidString.lowercased(),
            sourceNumber: output["assistant_number"]?.stringValue ?? "", destinationNumber: input["contact_number"]?.stringValue ?? "",
            callType: output["call_type"]?.stringValue.flatMap(CallLog.CallType.init(rawValue:)) ?? .outbound, callStatus: status,
            creationTime: start ?? now, startTime: status == .missed ? nil : start, endTime: status == .missed ? nil : end,
            callDuration: status == .missed ? 0 : max(0, duration), endReason: output["call_end_reason"]?.stringValue)
    }
}

