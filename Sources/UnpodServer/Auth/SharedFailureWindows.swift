import Foundation
import UnpodPersistence

/// Failure windows kept in the database, so every node of a cluster spends the same budget per key
/// (issue 18: per-node counters gave an attacker N nodes' worth). Same rule as ``FailureWindows``:
/// `limit` failures in a fixed window of `period` from the first.
struct SharedFailureWindows: Sendable {
    let rule: RateLimiter.Rule
    let store: SQLStore

    /// The seconds to wait when the key has used its budget in the current window, else nil.
    func wait(_ key: String, at now: Date) async throws -> Int? {
        guard let window = try await store.failureWindow(key), window.failures >= rule.limit,
            now.timeIntervalSince(window.start) < rule.period
        else { return nil }
        return secondsLeft(window.start, at: now)
    }

    /// Counts a failure; the seconds to wait when the key is now over its budget.
    @discardableResult
    func record(_ key: String, at now: Date) async throws -> Int? {
        let window = try await store.recordFailure(key, period: rule.period, at: now)
        return window.failures > rule.limit ? secondsLeft(window.start, at: now) : nil
    }

    private func secondsLeft(_ start: Date, at now: Date) -> Int {
        max(1, Int((rule.period - now.timeIntervalSince(start)).rounded(.up)))
    }
}
