import Foundation
import SQLKit
import UnpodCore

extension SQLStore {
    /// Claims up to `limit` due rows of `queue` for `lease` seconds (`FOR UPDATE SKIP LOCKED` on
    /// PostgreSQL, so nodes claiming at once never share a row) and reads them with `read`, in the
    /// same transaction, given the claimed ids as a list for `IN (…)`. An idle queue costs one
    /// indexed read, outside any transaction.
    func claimDue<Claimed: Sendable>(
        from queue: LeasedQueue, limit: Int, lease: TimeInterval,
        read: @escaping @Sendable (any SQLDatabase, SQLQueryString) async throws -> [Claimed]
    ) async throws -> [Claimed] {
        let now = clock.now().millis
        let table = SQLQueryString(queue.rawValue)
        let due: SQLQueryString =
            " WHERE status = 'pending' AND available_at <= \(bind: now) AND (lease_until IS NULL OR lease_until < \(bind: now))"
        let anyDue = try await database.withConnection { db in
            try await db.raw("SELECT id FROM " + table + due + " LIMIT 1").first() != nil
        }
        guard anyDue else { return [] }
        let lock: SQLQueryString = database.engine == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        return try await database.transaction { db in
            let ids = try await db.raw("SELECT id FROM " + table + due + " ORDER BY available_at, id LIMIT \(bind: limit)" + lock)
                .all().map { try $0.decode(column: "id", as: Int.self) }
            guard !ids.isEmpty else { return [] }
            let list = SQLQueryString(ids.map(String.init).joined(separator: ", "))
            try await db.raw(
                "UPDATE " + table + " SET attempts = attempts + 1, lease_until = \(bind: now + Int64(lease * 1000)) WHERE id IN (" + list + ")"
            ).run()
            return try await read(db, list)
        }
    }
}
