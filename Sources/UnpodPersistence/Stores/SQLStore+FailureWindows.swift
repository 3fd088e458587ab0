import Crypto
import Foundation
import SQLKit
import UnpodCore

/// Failure windows shared by every node (issue 18, item 5): one row per key (a digest), a fixed
/// window of `period` seconds from its first failure. Each key is counted in one statement, so
/// concurrent failures on several nodes all count.
extension SQLStore {
    /// Counts a failure for `key` in its current window (a new one when the old has passed); the
    /// window's failures and start.
    public func recordFailure(_ key: String, period: TimeInterval, at now: Date) async throws -> (failures: Int, start: Date) {
        let windows = try await recordFailures([key: 1], period: period, at: now)
        return windows[key] ?? (1, now)
    }

    /// Adds each key's failures to its current window (a new one when the old has passed), in one
    /// transaction; each window's failures and start as every node now counts them.
    public func recordFailures(
        _ counts: [String: Int], period: TimeInterval, at now: Date
    ) async throws -> [String: (failures: Int, start: Date)] {
        guard !counts.isEmpty else { return [:] }
        let millis = now.millis
        let periodMillis = Int64(period * 1000)
        return try await database.transaction { db in
            var windows: [String: (failures: Int, start: Date)] = [:]
            // In one order on every node, so two batches locking the same rows never deadlock.
            for (key, count) in counts.sorted(by: { $0.key < $1.key }) {
                let row = try await db.raw(
                    """
                    INSERT INTO failure_windows (key, window_start, failures) VALUES (\(bind: Self.failureKey(key)), \(bind: millis), \(bind: count))
                    ON CONFLICT (key) DO UPDATE SET
                        failures = CASE WHEN \(bind: millis) - failure_windows.window_start >= \(bind: periodMillis) THEN \(bind: count)
                                        ELSE failure_windows.failures + \(bind: count) END,
                        window_start = CASE WHEN \(bind: millis) - failure_windows.window_start >= \(bind: periodMillis) THEN \(bind: millis)
                                            ELSE failure_windows.window_start END
                    RETURNING failures, window_start
                    """
                ).first()
                windows[key] = (
                    try row?.decode(column: "failures", as: Int.self) ?? count,
                    Date(millis: try row?.decode(column: "window_start", as: Int64.self) ?? millis)
                )
            }
            // Windows a day past their start are forgotten now and then (about one batch in a hundred).
            if Int.random(in: 0..<100) == 0 {
                try await db.raw("DELETE FROM failure_windows WHERE window_start < \(bind: millis - max(periodMillis, 86_400_000))").run()
            }
            return windows
        }
    }

    /// The key's current window: its failures and start, or nil when it has none.
    public func failureWindow(_ key: String) async throws -> (failures: Int, start: Date)? {
        try await database.withConnection { db in
            try await db.raw("SELECT failures, window_start FROM failure_windows WHERE key = \(bind: Self.failureKey(key))").first().map {
                (try $0.decode(column: "failures", as: Int.self), Date(millis: try $0.decode(column: "window_start", as: Int64.self)))
            }
        }
    }

    static func failureKey(_ key: String) -> String {
        SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
