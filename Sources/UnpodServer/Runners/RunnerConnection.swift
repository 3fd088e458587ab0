import Foundation
import HummingbirdWebSocket
import Logging
import Synchronization
import UnpodCore
import UnpodPersistence

/// One admitted runner's socket: `register`, then heartbeats until it leaves or falls silent.
struct RunnerConnection: Sendable {
    /// What goes out, in order: frames, then at most one close.
    enum Outgoing: Sendable {
        case frame(RunnerServerMessage)
        case close(RunnerClose)
    }

    let endpoint: RunnerEndpoint
    let membership: Membership
    /// Where this runner dials its bridges: this node, as the runner reached it.
    let bridgeBase: String
    let outbound: WebSocketOutboundWriter
    let logger: Logger

    var configuration: RunnerConfiguration { endpoint.configuration }

    func run(_ messages: WebSocketInboundMessageStream.AsyncIterator) async {
        var messages = messages
        let (outgoing, outbox) = AsyncStream.makeStream(of: Outgoing.self)
        let writer = Task {
            for await item in outgoing {
                switch item {
                case .frame(let message): try? await outbound.write(.text(RunnerProtocol.encode(message)))
                case .close(let reason):
                    await RunnerEndpoint.close(outbound, reason)
                    return
                }
            }
        }
        // Heard from: connect, register and every frame since. The watchdog closes a socket that
        // has not registered within the register timeout, or has been silent past the limit.
        let lastHeard = Mutex(ContinuousClock.now)
        let registered = Atomic<Bool>(false)
        let watchdog = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(250))
                let limit = registered.load(ordering: .relaxed) ? configuration.silenceLimit : configuration.registerTimeout
                if ContinuousClock.now - lastHeard.withLock({ $0 }) > limit {
                    logger.info("runner silent; closing", metadata: ["limit": "\(limit)"])
                    outbox.yield(.close(.silent))
                    return
                }
            }
        }

        guard let runner = await register(&messages, outbox: outbox) else {
            watchdog.cancel()
            outbox.finish()
            await writer.value
            return
        }
        registered.store(true, ordering: .relaxed)
        lastHeard.withLock { $0 = .now }
        let connectionID = endpoint.registry.add(
            workerID: runner.workerID, orgID: membership.organization.id, agentRowID: runner.agent.rowID, capacity: runner.capacity,
            bridgeBase: bridgeBase, send: { outbox.yield(.frame($0)) })
        logger.info(
            "runner registered",
            metadata: ["worker_id": "\(runner.workerID)", "agent": "\(runner.agent.agent.handle)", "capacity": "\(runner.capacity)"])
        outbox.yield(
            .frame(.registered(heartbeatIntervalSeconds: configuration.heartbeatIntervalSeconds, transportAck: RunnerProtocol.dialOut)))

        while true {
            let message: WebSocketMessage?
            do {
                message = try await messages.next()
            } catch {
                break
            }
            guard let message else { break }
            lastHeard.withLock { $0 = .now }
            guard case .text(let text) = message, let frame = RunnerProtocol.clientMessage(text) else {
                logger.warning("runner sent a frame that is not the protocol's; closing")
                outbox.yield(.close(.protocolError("frames are JSON objects with a type")))
                continue
            }
            switch frame {
            case .heartbeat(let active, _):
                endpoint.registry.reportActiveJobs(active ?? 0, connectionID: connectionID)
            case .jobAck(_, let assignID, let accepted, let reason):
                await endpoint.calls.acknowledge(assignID: assignID ?? "", accepted: accepted ?? false, reason: reason)
            case .register:
                outbox.yield(.close(.protocolError("register is sent once")))
            case .unknown(let type):
                logger.warning("runner sent an unknown frame; closing", metadata: ["type": "\(type)"])
                outbox.yield(.close(.protocolError("unknown frame type \(type)")))
            }
        }
        endpoint.registry.remove(connectionID: connectionID)
        logger.info("runner left", metadata: ["worker_id": "\(runner.workerID)"])
        watchdog.cancel()
        outbox.finish()
        await writer.value
    }

    /// The registered runner: its agent (an agent of the organization), its id and capacity.
    private struct Registration {
        let workerID: String
        let agent: AgentRecord
        let capacity: Int
    }

    /// Reads `register`; on anything else closes with the reason and answers nil.
    private func register(
        _ messages: inout WebSocketInboundMessageStream.AsyncIterator, outbox: AsyncStream<Outgoing>.Continuation
    ) async -> Registration? {
        func refuse(_ close: RunnerClose) -> Registration? {
            logger.info("runner registration refused", metadata: ["reason": "\(close.reason)"])
            outbox.yield(.close(close))
            return nil
        }
        let first: WebSocketMessage?
        do {
            first = try await messages.next()
        } catch {
            return nil
        }
        guard let first else { return nil }
        guard case .text(let text) = first, case .register(let workerID, let pool, let capabilities)? = RunnerProtocol.clientMessage(text)
        else { return refuse(.protocolError("the first frame must be register")) }
        guard let workerID, (1...200).contains(workerID.count) else {
            return refuse(.protocolError("register needs a worker_id of 1 to 200 characters"))
        }
        if let transport = capabilities?.transport, transport != RunnerProtocol.dialOut {
            return refuse(.policy("this server speaks the dial_out transport only (unpod 0.5.0 or later)"))
        }
        // The agent: the capabilities' agent_id, else the pool without its `@dev` suffix.
        let poolAgent = pool.map { $0.hasSuffix("@dev") ? String($0.dropLast(4)) : $0 }
        guard let handle = capabilities?.agentID ?? poolAgent, !handle.isEmpty else {
            return refuse(.protocolError("register names no agent (capabilities.agent_id)"))
        }
        let agent: AgentRecord?
        do {
            agent = try await endpoint.store.agent(handle: handle)
        } catch {
            logger.error("agent lookup failed", metadata: ["error": "\(error)"])
            return refuse(.protocolError("the server could not look the agent up"))
        }
        let organization = membership.organization
        guard let agent, agent.orgID == organization.id, agent.agent.state != .archived else {
            return refuse(.policy("no agent \(handle) in organization \(organization.domainHandle)"))
        }
        let capacity = capabilities?.maxConcurrent ?? RunnerEndpoint.defaultConcurrent
        guard (1...RunnerEndpoint.maxConcurrent).contains(capacity) else {
            return refuse(.protocolError("capabilities.max_concurrent is 1 to \(RunnerEndpoint.maxConcurrent)"))
        }
        return Registration(workerID: workerID, agent: agent, capacity: capacity)
    }
}
