import Foundation
import Logging
import ServiceLifecycle
import UnpodCore
import UnpodPersistence

/// Live calls across nodes on PostgreSQL (issue 17, item 8): publishes this node's
/// ``CallRelayEvent``s in order, applies the ones addressed to it, tells the others of its runners
/// whenever they change and every 2 s (its heartbeat), and treats a node silent for 6 s as gone:
/// its runners are forgotten, the calls held here that it served end `failed`, and its calls'
/// sockets here are closed. Like rooms, no other service to run.
struct CallRelayService: Service {
    let channel: RelayChannel
    let hub: CallHub
    let runners: RunnerRegistry
    let logger: Logger
    var heartbeat: Duration = .seconds(2)
    var silence: Duration = .seconds(CallNodeWatch.silence)

    private var relay: CallRelay { hub.relay }

    func run() async throws {
        let (events, outgoing) = AsyncStream.makeStream(of: CallRelayEvent.self)
        // Presence is a snapshot: of several changes in a row, only the newest needs to go out.
        let (changes, changed) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        relay.connect { outgoing.yield($0) }
        runners.onChange { changed.yield(()) }
        hub.gateways.onChange { changed.yield(()) }
        // The listener is not awaited at shutdown: a LISTEN cancelled while PostgresNIO is still
        // setting it up can wait for good, and the node must stop anyway.
        let listener = Task { await listen(announce: { outgoing.yield(relay.event(.hello, to: nil)) }) }
        defer { listener.cancel() }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await publish(events) }
                group.addTask {
                    for await _ in changes { outgoing.yield(presence()) }
                }
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: heartbeat)
                        changed.yield(())
                        await sweep()
                    }
                }
                await group.next()
                group.cancelAll()
            }
        }
        outgoing.finish()
        changed.finish()
        channel.close()
    }

    private func presence() -> CallRelayEvent {
        var event = relay.event(.presence, to: nil)
        event.runners = runners.summaries()
        event.gatewayOrgs = hub.gateways.phoneOrganizations()
        return event
    }

    /// One event at a time, in order: a socket's frames reach the other node as they were sent.
    private func publish(_ events: AsyncStream<CallRelayEvent>) async {
        let encoder = JSONEncoder()
        for await event in events {
            guard let json = try? String(decoding: encoder.encode(event), as: UTF8.self) else { continue }
            do {
                try await channel.publish(json)
            } catch {
                logger.warning("could not publish a call event", metadata: ["kind": "\(event.kind.rawValue)", "error": "\(error)"])
            }
        }
    }

    private func listen(announce: @escaping @Sendable () -> Void) async {
        let decoder = JSONDecoder()
        while !Task.isCancelled {
            do {
                try await channel.listen(ready: { announce() }) { payload in
                    guard let event = try? decoder.decode(CallRelayEvent.self, from: Data(payload.utf8)) else { return }
                    await apply(event)
                }
            } catch {
                guard !Task.isCancelled else { return }
                logger.warning("call relay listener failed; listening again", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    private func sweep() async {
        for node in relay.silentNodes(silence: silence) {
            logger.warning("a node fell silent; its runners and sockets are gone", metadata: ["node": "\(node)"])
            await hub.nodeGone(node, sockets: relay.heldSockets(of: node))
            for job in relay.jobs(of: node) { runners.release(connectionID: job.connectionID) }
            relay.holderGone(node)
        }
    }

    func apply(_ event: CallRelayEvent) async {
        guard event.node != relay.nodeID, event.to == nil || event.to == relay.nodeID else { return }
        let presence = event.kind == .presence
        relay.heard(
            from: event.node, runners: presence ? event.runners ?? [] : nil, gatewayOrgs: presence ? event.gatewayOrgs ?? [] : nil)
        switch event.kind {
        case .hello:
            runners.onChangeNow()
        case .presence:
            break
        case .assign:
            guard let connectionID = event.connection, let assignment = event.assignment else { return }
            guard runners.assign(connectionID: connectionID) else {
                var refusal = relay.event(.ack, to: event.node)
                refusal.assignID = assignment.assignID
                refusal.accepted = false
                refusal.reason = "the runner is full or has left"
                relay.publish(refusal)
                return
            }
            relay.took(CallRelay.RelayedJob(holder: event.node, connectionID: connectionID, assignID: assignment.assignID), jobID: assignment.jobID)
            runners.send(connectionID: connectionID, .jobAssign(assignment))
        case .ack:
            guard let assignID = event.assignID else { return }
            await hub.acknowledge(assignID: assignID, accepted: event.accepted ?? false, reason: event.reason)
        case .release:
            if let jobID = event.jobID, let job = relay.finished(jobID: jobID) { runners.release(connectionID: job.connectionID) }
        case .cancel:
            if let connectionID = event.connection, let jobID = event.jobID { runners.cancel(connectionID: connectionID, jobID: jobID) }
        case .open:
            guard let callID = event.call, let side = event.side, let socket = event.socket else { return }
            let refusal = await hub.attachRemote(side, callID, token: event.token, key: .init(node: event.node, socket: socket))
            var answer = relay.event(.opened, to: event.node)
            answer.socket = socket
            answer.code = refusal?.code
            answer.reason = refusal?.reason
            relay.publish(answer)
        case .opened:
            if let socket = event.socket { relay.answerOpen(socket, event) }
        case .frame:
            guard let socket = event.socket else { return }
            await hub.fromRemote(.init(node: event.node, socket: socket), text: event.text, clean: event.clean ?? true)
        case .send:
            relay.deliver(event)
        case .hangup:
            if let callID = event.call { await hub.hangUp(callID, reason: event.reason ?? "HANGUP_REQUESTED") }
        case .place:
            guard let callID = event.call, let orgID = event.org, let agentRowID = event.agent, let mediaURL = event.mediaURL,
                let token = event.token
            else { return }
            let hub = hub
            // In a task of its own: placing waits for a gateway, and the listener must go on.
            Task { await hub.adoptPhoneCall(callID, orgID: orgID, agentRowID: agentRowID, mediaURL: mediaURL, token: token) }
        }
    }
}
