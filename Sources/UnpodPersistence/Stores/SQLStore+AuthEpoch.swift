import SQLKit

extension SQLStore {
    /// The counter every node polls to learn that keys, users or memberships changed.
    public func authEpoch() async throws -> Int64 {
        try await database.withConnection { db in
            try await db.raw("SELECT version FROM auth_epoch WHERE id = 1").first()?
                .decode(column: "version", as: Int64.self) ?? 0
        }
    }

    /// Called inside the transaction that makes the change, so the change and the bump land together.
    /// On PostgreSQL the bump is also announced on `unpod_auth` (NOTIFY is sent at commit), so the
    /// other nodes re-read the epoch at once instead of at their next poll.
    static func bumpAuthEpoch(_ db: any SQLDatabase) async throws {
        try await db.raw("UPDATE auth_epoch SET version = version + 1 WHERE id = 1").run()
        if db.dialect.name == "postgresql" {
            try await db.raw("SELECT pg_notify(\(bind: RelayChannel.auth), '')").run()
        }
    }

    /// The known `Product-ID` values.
    public func productHandles() async throws -> Set<String> {
        try await database.withConnection { db in
            Set(try await db.raw("SELECT handle FROM products").all().map { try $0.decode(column: "handle", as: String.self) })
        }
    }
}
