import Foundation
import Logging
import ServiceLifecycle
import UnpodPersistence

/// Several nodes on PostgreSQL (issue 17, item 8): this node beats every `interval`, and ends
/// `failed` the calls in flight of any node silent for `silence` (killed, or cut off: the sockets
/// of its calls went with it), so that no call stays in flight. Every node sweeps; a call ends once.
struct CallNodeWatch: Service {
    /// A node silent this long (three missed beats) has stopped.
    static let silence: TimeInterval = 6

    let store: SQLStore
    let nodeID: String
    let interval: Duration
    let silence: TimeInterval
    let logger: Logger
    let health: BackgroundTaskHealth

    func run() async throws {
        await cancelWhenGracefulShutdown { await watch() }
    }

    private func watch() async {
        while !Task.isCancelled {
            do {
                try await store.beatCallNode(nodeID)
                let failed = try await store.failCallsOfSilentNodes(silence: silence, reason: "the node that held the call stopped")
                if failed > 0 { logger.warning("calls of a node that stopped ended failed", metadata: ["count": "\(failed)"]) }
                health.succeeded()
            } catch {
                health.failed()
                logger.warning("could not watch the call nodes", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
