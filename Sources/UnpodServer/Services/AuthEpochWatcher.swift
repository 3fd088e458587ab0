import Logging
import ServiceLifecycle
import UnpodPersistence

/// Polls the auth epoch and clears this node's auth cache when another node (or the command line)
/// changed keys, users or memberships. With the default 250 ms poll, a key revoked anywhere is
/// refused everywhere within about a quarter of a second, well inside the one-second promise.
/// Polling, rather than LISTEN/NOTIFY, works the same on SQLite (several processes on one file)
/// and PostgreSQL, and costs one indexed single-row read per interval.
struct AuthEpochWatcher: Service {
    let store: SQLStore
    let cache: AuthCache
    let products: ProductCatalog
    let interval: Duration
    let logger: Logger
    let health: BackgroundTaskHealth

    func run() async throws {
        await cancelWhenGracefulShutdown { await watch() }
    }

    private func watch() async {
        var known = try? await store.authEpoch()
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            guard !Task.isCancelled else { return }
            do {
                let current = try await store.authEpoch()
                health.succeeded()
                guard current != known else { continue }
                known = current
                cache.invalidateAll()
                products.replace(with: try await store.productHandles())
            } catch {
                // Without the epoch this node cannot know what changed: trust nothing cached.
                cache.invalidateAll()
                known = nil
                health.failed()
                guard !Task.isCancelled else { return }
                logger.warning("cannot read the auth epoch", metadata: ["error": "\(error)"])
            }
        }
    }
}
