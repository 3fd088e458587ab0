import Foundation
import Logging
import ServiceLifecycle
import UnpodPersistence

/// Rooms across nodes on PostgreSQL (issue 7, item 6): publishes this node's room events, applies
/// the other nodes', and sends a heartbeat every 2 s; a node silent for 6 s is taken for dead and
/// its participants leave. A node that (re)starts listening says hello, and the others tell it who
/// is in their rooms. No other service to run: NOTIFY/LISTEN on the database the nodes share.
struct RoomRelayService: Service {
    let channel: RelayChannel
    let registry: RoomRegistry
    let logger: Logger
    var heartbeat: Duration = .seconds(2)
    var silence: Duration = .seconds(6)

    func run() async throws {
        let (events, outgoing) = AsyncStream.makeStream(of: RoomRelayEvent.self)
        await registry.relay { outgoing.yield($0) }
        let encoder = JSONEncoder()
        // The listener is not awaited at shutdown: a LISTEN cancelled while PostgresNIO is still
        // setting it up can wait for good, and the node must stop anyway.
        let listener = Task {
            while !Task.isCancelled {
                do {
                    try await channel.listen(ready: { outgoing.yield(registry.hello()) }) { payload in
                        guard let event = try? JSONDecoder().decode(RoomRelayEvent.self, from: Data(payload.utf8)) else {
                            return
                        }
                        await registry.apply(event)
                    }
                } catch {
                    guard !Task.isCancelled else { return }
                    logger.warning("room relay listener failed; listening again", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
        defer { listener.cancel() }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await event in events {
                        guard let json = try? String(decoding: encoder.encode(event), as: UTF8.self) else { continue }
                        do {
                            try await channel.publish(json)
                        } catch {
                            logger.warning("could not publish a room event", metadata: ["error": "\(error)"])
                        }
                    }
                }
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: heartbeat)
                        outgoing.yield(registry.heartbeat())
                        await registry.sweep(silence: silence)
                    }
                }
                await group.next()
                group.cancelAll()
            }
        }
        outgoing.finish()
        channel.close()
    }
}
