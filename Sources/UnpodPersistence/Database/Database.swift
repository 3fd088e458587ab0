import Logging
import NIOPosix
import PostgresKit
import SQLKit
import SQLiteKit
import Synchronization

/// The store's handle on one database, SQLite or PostgreSQL, behind one SQLKit interface.
///
/// Queries are written once (`raw("… \(bind: x)")` renders `?` or `$1` per engine); the few
/// places where the two dialects differ branch on ``engine`` (see `Migrations.swift`).
public struct Database: Sendable {
    public enum Engine: String, Sendable { case sqlite, postgres }

    public let engine: Engine
    public let location: DatabaseLocation
    private let pool: any SQLConnectionLeasing

    /// Opens a pool of at most `maxConnections` connections. SQLite files are switched to WAL mode.
    public static func open(
        _ location: DatabaseLocation, maxConnections: Int = 4, logger: Logger = Logger(label: "unpod.db")
    ) async throws -> Database {
        switch location {
        case .sqlite(let path):
            let pool = SQLitePool.make(path: path, maxConnections: maxConnections, logger: logger)
            // Open one connection now, so a bad path fails at start and WAL is set before any reader.
            try await pool.withConnection { _ in }
            return Database(engine: .sqlite, location: location, pool: pool)
        case .postgres(let url):
            let configuration = try SQLPostgresConfiguration(url: url)
            let pool = PostgresPool.make(configuration: configuration, maxConnections: maxConnections, logger: logger)
            try await pool.withConnection { _ in }
            return Database(engine: .postgres, location: location, pool: pool)
        }
    }

    /// Runs `body` on one leased connection.
    public func withConnection<Result: Sendable>(
        _ body: @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await pool.withConnection(body)
    }

    /// Runs `body` in one transaction: all of it is stored, or none of it.
    ///
    /// On SQLite the transaction takes the write lock at once (`BEGIN IMMEDIATE`), so two writers
    /// wait for each other (busy timeout) instead of failing half-way with SQLITE_BUSY.
    public func transaction<Result: Sendable>(
        _ body: @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        let begin = engine == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN"
        return try await pool.withConnection { db in
            try await db.raw(SQLQueryString(begin)).run()
            do {
                let result = try await body(db)
                try await db.raw("COMMIT").run()
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    public func shutdown() async {
        await pool.shutdown()
    }
}

/// A pool that lends a connection as an `SQLDatabase`.
protocol SQLConnectionLeasing: Sendable {
    func withConnection<Result: Sendable>(
        _ body: @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result
    func shutdown() async
}

/// A ``ConnectionPool`` of one engine's connections, lent out as `SQLDatabase`s.
struct SQLPool<Connection: Sendable>: SQLConnectionLeasing {
    let pool: ConnectionPool<Connection>
    let asDatabase: @Sendable (Connection) -> any SQLDatabase

    func withConnection<Result: Sendable>(
        _ body: @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        let connection = try await pool.lease()
        do {
            let result = try await body(asDatabase(connection))
            await pool.release(connection)
            return result
        } catch {
            await pool.release(connection)
            throw error
        }
    }

    func shutdown() async { await pool.shutdown() }
}

// Queries are never logged (`queryLogLevel: nil`): their binds include hashes and ciphertexts.

enum SQLitePool {
    static func make(path: String, maxConnections: Int, logger: Logger) -> SQLPool<SQLiteConnection> {
        let pool = ConnectionPool<SQLiteConnection>(
            maximum: maxConnections,
            open: {
                let connection = try await SQLiteConnection.open(
                    storage: .file(path: path), threadPool: .singleton, logger: logger,
                    on: MultiThreadedEventLoopGroup.singleton.any())
                // The busy timeout first: switching to WAL takes a lock another connection may hold.
                // WAL lets readers run beside the one writer; the busy timeout makes writers queue.
                do {
                    for pragma in [
                        "PRAGMA busy_timeout = 10000", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL",
                        "PRAGMA foreign_keys = ON",
                    ] {
                        _ = try await connection.query(pragma)
                    }
                } catch {
                    try? await connection.close()
                    throw error
                }
                return connection
            },
            isUsable: { !$0.isClosed },
            close: { try? await $0.close() })
        return SQLPool(pool: pool, asDatabase: { $0.sql(queryLogLevel: nil) })
    }
}

enum PostgresPool {
    static let nextID = Atomic<Int>(0)

    static func make(configuration: SQLPostgresConfiguration, maxConnections: Int, logger: Logger)
        -> SQLPool<PostgresConnection>
    {
        let core = configuration.coreConfiguration
        let pool = ConnectionPool<PostgresConnection>(
            maximum: maxConnections,
            open: {
                try await PostgresConnection.connect(
                    on: MultiThreadedEventLoopGroup.singleton.any(), configuration: core,
                    id: nextID.wrappingAdd(1, ordering: .relaxed).newValue, logger: logger
                ).get()
            },
            isUsable: { !$0.isClosed },
            close: { try? await $0.close() })
        return SQLPool(pool: pool, asDatabase: { $0.sql(queryLogLevel: nil) })
    }
}
