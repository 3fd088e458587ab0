import Foundation
import Logging
import ServiceLifecycle
import UnpodPersistence

/// Follows the audit log (every write is audited in its own transaction) and drops the cached
/// lists of the organizations that another node or the command line changed. Polled like the
/// auth epoch, so it works the same on SQLite and PostgreSQL; one indexed read per interval.
///
/// Ids are handed out before commit, so on PostgreSQL an event can appear after one with a higher
/// id: a skipped id is asked for again on every poll for ``gapPatience``, then given up (a rolled
/// back transaction leaves a gap for good).
struct DataChangeWatcher: Service {
    let store: SQLStore
    let cache: ListCache
    let interval: Duration
    let logger: Logger
    let health: BackgroundTaskHealth
    var gapPatience: Duration = .seconds(30)
    /// Past this many events in one poll the watcher drops everything rather than list them.
    var batch = 1000

    func run() async throws {
        await cancelWhenGracefulShutdown { await watch() }
    }

    private func watch() async {
        var follower: Follower? = nil
        while !Task.isCancelled {
            do {
                if var current = follower {
                    let events = try await store.auditEvents(after: current.last, orIn: current.awaited, limit: batch + 1)
                    let changed = current.absorb(events, now: .now, patience: gapPatience)
                    if events.count > batch {
                        // Too many to list: start over from the end of the log.
                        current = Follower(last: try await store.latestAuditEventID())
                        cache.invalidateAll()
                    } else {
                        for orgID in changed { cache.invalidate(orgID: orgID) }
                    }
                    follower = current
                } else {
                    // Unknown position (start-up or a failed read): trust nothing cached.
                    follower = Follower(last: try await store.latestAuditEventID())
                    cache.invalidateAll()
                }
                health.succeeded()
            } catch {
                follower = nil
                cache.invalidateAll()
                health.failed()
                if !Task.isCancelled { logger.warning("cannot follow the audit log", metadata: ["error": "\(error)"]) }
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// Where the watcher is in the log, and which lower ids it still waits for.
    struct Follower {
        var last: Int64
        var gaps: [Int64: ContinuousClock.Instant] = [:]

        var awaited: [Int64] { Array(gaps.keys.sorted().prefix(500)) }

        /// The organizations named by `events`; records skipped ids and forgets old ones.
        mutating func absorb(_ events: [(id: Int64, orgID: Int?)], now: ContinuousClock.Instant, patience: Duration)
            -> Set<Int>
        {
            var changed = Set<Int>()
            for event in events {
                gaps[event.id] = nil
                if event.id > last {
                    if event.id > last + 1, event.id - last <= 10_000 {
                        for missing in (last + 1)..<event.id { gaps[missing] = now }
                    }
                    last = event.id
                }
                if let orgID = event.orgID { changed.insert(orgID) }
            }
            gaps = gaps.filter { now - $0.value < patience }
            return changed
        }
    }
}
