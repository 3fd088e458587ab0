import Logging
import ServiceLifecycle
import UnpodPersistence

/// Polls the auth epoch and clears this node's auth cache when another node (or the command line)
/// changed keys, users or memberships. With the default 250 ms poll, a key revoked anywhere is
/// refused everywhere within about a quarter of a second, well inside the one-second promise.
/// Polling works the same on SQLite (several processes on one file) and PostgreSQL, and costs one
/// indexed single-row read per interval; on PostgreSQL a change's NOTIFY also wakes the watcher at
/// once, so a busy node does not wait out its poll (a CI run under load once took 1.05 s).
struct AuthEpochWatcher: Service {
    let store: SQLStore
    let cache: AuthCache
    let products: ProductCatalog
    let interval: Duration
    let logger: Logger
    let health: BackgroundTaskHealth

    /// PostgreSQL's `unpod_auth` notifications, when the nodes share one: a change on another node
    /// is read at once; the poll stays, for a missed notification and for SQLite.
    var channel: RelayChannel? = nil

    func run() async throws {
        let wakes = PollingWakes(interval: interval)
        defer { wakes.stop() }
        // As for the room relay, the listener is not awaited at shutdown.
        let listener = Task {
            guard let channel else { return }
            while !Task.isCancelled {
                do {
                    try await channel.listen(ready: { wakes.wake() }) { _ in wakes.wake() }
                } catch {
                    guard !Task.isCancelled else { return }
                    logger.warning("auth epoch listener failed; listening again", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
        defer { listener.cancel() }
        await cancelWhenGracefulShutdown { await watch(wakes.stream) }
    }

    private func watch(_ wakes: AsyncStream<Void>) async {
        var known = try? await store.authEpoch()
        for await _ in wakes {
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
