import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import UnpodPersistence

/// Collects when each key was last used and writes the times in batches, off the request path
/// (decisions.md section 1). Flushes every `interval` and once more at shutdown.
final class LastUsedRecorder: Service, Sendable {
    private let pending = Mutex<[Int: Date]>([:])
    private let store: SQLStore
    private let interval: Duration
    private let logger: Logger
    private let health: BackgroundTaskHealth

    init(store: SQLStore, interval: Duration, logger: Logger, health: BackgroundTaskHealth) {
        self.store = store
        self.interval = interval
        self.logger = logger
        self.health = health
    }

    func record(keyRowID: Int, at time: Date) {
        pending.withLock { $0[keyRowID] = time }
    }

    func run() async throws {
        await flushEvery(interval) { await self.flush() }
    }

    func flush() async {
        let batch = pending.withLock { pending in
            defer { pending.removeAll(keepingCapacity: true) }
            return pending
        }
        guard !batch.isEmpty else { return health.succeeded() }
        do {
            try await store.recordLastUsed(batch)
            health.succeeded()
        } catch {
            health.failed()
            logger.warning("could not record last-used times", metadata: ["error": "\(error)"])
            // Keep the newer of what failed and what came in since, for the next try.
            pending.withLock { pending in pending.merge(batch) { max($0, $1) } }
        }
    }
}
