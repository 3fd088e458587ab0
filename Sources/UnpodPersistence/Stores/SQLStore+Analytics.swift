import Foundation
import SQLKit
import UnpodCore

extension SQLStore {
    /// ANA-1: the tasks of the organization's contact spaces (or of one space, still only if it
    /// holds contacts), counted by status and outcome in one query.
    public func analytics(orgID: Int, spaceRowID: Int? = nil) async throws -> Analytics {
        var filter: SQLQueryString = "t.org_id = \(bind: orgID) AND s.content_type = 'contact'"
        if let spaceRowID { filter = filter + " AND s.id = \(bind: spaceRowID)" }
        let condition = filter
        let rows = try await database.withConnection { db in
            try await db.raw(
                """
                SELECT t.status, t.outcome, COUNT(*) AS n,
                       CAST(SUM(t.success_score) AS DOUBLE PRECISION) AS score_sum, COUNT(t.success_score) AS scored,
                       CAST(SUM(t.call_duration) AS BIGINT) AS duration_sum, COUNT(t.call_duration) AS timed
                FROM tasks t JOIN spaces s ON s.id = t.space_id
                WHERE
                """ + " " + condition + " GROUP BY t.status, t.outcome"
            ).all()
        }
        var counts = Analytics.Counts()
        for row in rows {
            guard let status = CallTask.Status(rawValue: try row.decode(column: "status", as: String.self)) else { continue }
            let n = try row.decode(column: "n", as: Int.self)
            counts.byStatus[status, default: 0] += n
            guard status == .completed else { continue }
            if let outcome = try row.decode(column: "outcome", as: String?.self) { counts.byOutcome[outcome, default: 0] += n }
            counts.scoreSum += try row.decode(column: "score_sum", as: Double?.self) ?? 0
            counts.scored += try row.decode(column: "scored", as: Int.self)
            counts.durationSum += try row.decode(column: "duration_sum", as: Int64?.self) ?? 0
            counts.timed += try row.decode(column: "timed", as: Int.self)
        }
        return Analytics(counts)
    }
}
