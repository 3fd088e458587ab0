import Foundation
import Logging
import SQLKit

/// Applies the pending steps of ``Migration/all`` in one transaction and records each in
/// `schema_migrations`. Safe to run from several nodes at once: on PostgreSQL the table is locked,
/// on SQLite the transaction holds the write lock.
public struct Migrator: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// The versions applied by this call.
    @discardableResult
    public func migrate(logger: Logger? = nil) async throws -> [Int] {
        try await database.withConnection { db in
            try await db.raw(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)
                """
            ).run()
        }
        let engine = database.engine
        let applied = try await database.transaction { db in
            if engine == .postgres {
                try await db.raw("LOCK TABLE schema_migrations IN EXCLUSIVE MODE").run()
            }
            let done = Set(
                try await db.raw("SELECT version FROM schema_migrations").all().map {
                    try $0.decode(column: "version", as: Int.self)
                })
            var applied: [Int] = []
            for migration in Migration.all where !done.contains(migration.version) {
                for statement in migration.statements(engine) {
                    try await db.raw(SQLQueryString(statement)).run()
                }
                try await db.raw(
                    """
                    INSERT INTO schema_migrations (version, name, applied_at)
                    VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: Date().millis))
                    """
                ).run()
                applied.append(migration.version)
            }
            return applied
        }
        if !applied.isEmpty {
            logger?.info("applied migrations", metadata: ["versions": "\(applied)"])
        }
        return applied
    }
}
