import Foundation
import SQLKit
import UnpodCore

extension SQLStore {
    /// Calls per UTC day over the `days` days up to `now` (oldest first, days without calls as 0),
    /// for the dashboard's analytics chart.
    public func callsPerDay(orgID: Int, days: Int, now: Date) async throws -> [(day: Date, calls: Int)] {
        let dayMillis: Int64 = 86_400_000  // the literal in the query: PostgreSQL groups by the same expression only
        let today = now.millis / dayMillis
        let first = today - Int64(days - 1)
        let rows = try await database.withConnection { db in
            try await db.raw(
                """
                SELECT creation_time / 86400000 AS day, COUNT(*) AS n FROM call_logs
                WHERE org_id = \(bind: orgID) AND creation_time >= \(bind: first * dayMillis)
                  AND creation_time < \(bind: (today + 1) * dayMillis)
                GROUP BY creation_time / 86400000
                """
            ).all()
        }
        var counts: [Int64: Int] = [:]
        for row in rows { counts[try row.decode(column: "day", as: Int64.self)] = try row.decode(column: "n", as: Int.self) }
        return (first...today).map { (Date(millis: $0 * dayMillis), counts[$0] ?? 0) }
    }
}
