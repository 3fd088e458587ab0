import Crypto
import Foundation
import SQLKit
import UnpodCore

/// Failure windows shared by every node (issue 18, item 5): one row per key (a digest), a fixed
/// window of `period` seconds from its first failure. Counted in one statement, so concurrent
/// failures on several nodes all count.
extension SQLStore {
    /// Counts a failure for `key` in its current window (a new one when the old has passed); the
    /// window's failures and start.
    public func recordFailure(_ key: String, period: TimeInterval, at now: Date) async throws -> (failures: Int, start: Date) {
        let digest = Self.failureKey(key)
        let millis = now.millis
        let periodMillis = Int64(period * 1000)
        return try await database.withConnection { db in
            let row = try await db.raw(
                """
                INSERT INTO failure_windows (key, window_start, failures) VALUES (\(bind: digest), \(bind: millis), 1)
                ON CONFLICT (key) DO UPDATE SET
                    failures = CASE WHEN \(bind: millis) - failure_windows.window_start >= \(bind: periodMillis) THEN 1
                                    ELSE failure_windows.failures + 1 END,
                    window_start = CASE WHEN \(bind: millis) - failure_windows.window_start >= \(bind: periodMillis) THEN \(bind: millis)
                                        ELSE failure_windows.window_start END
                RETURNING failures, window_start
                """
            ).first()
            // Windows a day past their start are forgotten now and then (about one failure in a hundred).
            if Int.random(in: 0..<100) == 0 {
                try await db.raw("DELETE FROM failure_windows WHERE window_start < \(bind: millis - max(periodMillis, 86_400_000))").run()
            }
            return (
                try row?.decode(column: "failures", as: Int.self) ?? 1,
                Date(millis: try row?.decode(column: "window_start", as: Int64.self) ?? millis)
            )
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
