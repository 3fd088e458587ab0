#if canImport(Glibc)
import Glibc
#endif
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
    /// SQLite only: write transactions queue in process (see ``WriteGate``).
    private let writeGate: WriteGate?

    /// Opens a pool of at most `maxConnections` connections. SQLite files are switched to WAL mode.
    public static func open(
        _ location: DatabaseLocation, maxConnections: Int = 4, logger: Logger = Logger(label: "unpod.db")
    ) async throws -> Database {
        let database: Database
        switch location {
        case .sqlite(let path):
            let pool = SQLitePool.make(path: path, maxConnections: maxConnections, logger: logger)
            database = Database(engine: .sqlite, location: location, pool: pool, writeGate: WriteGate())
        case .postgres(let url):
            let configuration = try SQLPostgresConfiguration(url: url)
            let pool = PostgresPool.make(configuration: configuration, maxConnections: maxConnections, logger: logger)
            database = Database(engine: .postgres, location: location, pool: pool, writeGate: nil)
        }
        // Open one connection now, so a bad location fails at start (and SQLite is in WAL mode
        // before any reader).
        do {
            try await database.withConnection { _ in }
        } catch {
            await database.shutdown()
            throw error
        }
        return database
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
    ///
    /// The transaction runs in its own task, so cancelling the caller (a client that hangs up, a
    /// worker connection that closes) never stops it between `BEGIN` and `COMMIT`/`ROLLBACK`: a
    /// connection must not go back to the pool inside a transaction.
    public func transaction<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await Task { try await self.unshieldedTransaction(body) }.value
    }

    private func unshieldedTransaction<Result: Sendable>(
        _ body: @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        let begin = engine == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN"
        await writeGate?.enter()
        do {
            let result = try await pool.withConnection { db in
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
            await writeGate?.leave()
            return result
        } catch {
            await writeGate?.leave()
            throw error
        }
    }

    public func shutdown() async {
        await pool.shutdown()
    }

    /// The connection pool's state, for `/metrics`.
    public func poolStatistics() async -> PoolStatistics {
        await pool.statistics()
    }
}

/// A pool that lends a connection as an `SQLDatabase`.
protocol SQLConnectionLeasing: Sendable {
    func withConnection<Result: Sendable>(
        _ body: @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result
    func shutdown() async
    func statistics() async -> PoolStatistics
}

/// A ``ConnectionPool`` of one engine's connections, lent out as `SQLDatabase`s.
struct SQLPool<Connection: Sendable>: SQLConnectionLeasing {
    let pool: ConnectionPool<Connection>
    let asDatabase: @Sendable (Connection) -> any SQLDatabase
    /// Runs after the connections are closed (SQLite: stops the pool's own threads).
    var afterShutdown: @Sendable () async -> Void = {}

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

    func shutdown() async {
        await pool.shutdown()
        await afterShutdown()
    }

    func statistics() async -> PoolStatistics {
        await pool.statistics()
    }
}

// Queries are never logged (`queryLogLevel: nil`): their binds include hashes and ciphertexts.

enum SQLitePool {
    /// Each database gets its own threads, one per connection: SQLite calls block their thread
    /// (a busy wait can last seconds), and on a shared pool one database's waits would stall
    /// every other database in the process, including the transaction holding the lock.
    static func make(path: String, maxConnections: Int, logger: Logger) -> SQLPool<SQLiteConnection> {
        createOwnerOnly(path)
        let threads = NIOThreadPool(numberOfThreads: max(1, maxConnections))
        threads.start()
        let pool = ConnectionPool<SQLiteConnection>(
            maximum: maxConnections,
            open: {
                let connection = try await SQLiteConnection.open(
                    storage: .file(path: path), threadPool: threads, logger: logger,
                    on: MultiThreadedEventLoopGroup.singleton.any())
                // The busy timeout first: switching to WAL takes a lock another connection may hold.
                // WAL lets readers run beside the one writer; the busy timeout makes writers queue.
                // synchronous = FULL syncs the WAL at every commit: an answered write survives a
                // killed process (as NORMAL would) and also a power loss (which NORMAL may lose).
                do {
                    for pragma in [
                        "PRAGMA busy_timeout = 10000", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL",
                        "PRAGMA foreign_keys = ON",
                    ] {
                        _ = try await connection.query(pragma)
                    }
                } catch {
                    // A cancelled task (a service stopping) fails the pragma; close regardless.
                    await closeEvenIfCancelled(connection)
                    throw error
                }
                return connection
            },
            isUsable: { !$0.isClosed },
            close: { await closeEvenIfCancelled($0) })
        return SQLPool(
            pool: pool, asDatabase: { $0.sql(queryLogLevel: nil) },
            afterShutdown: { try? await threads.shutdownGracefully() })
    }
}

/// Creates the database file readable and writable by its owner only (0600), like the secrets
/// file beside it; SQLite gives its `-wal` and `-shm` files the same mode. An existing file keeps
/// the mode its operator gave it.
private func createOwnerOnly(_ path: String) {
    let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
    if descriptor >= 0 { close(descriptor) }
}

/// SQLiteNIO's async `close()` gives up in a cancelled task and leaves the handle open (which
/// its deinit then traps on); the future-based close runs to the end whatever the task's state.
private func closeEvenIfCancelled(_ connection: SQLiteConnection) async {
    try? await connection.close().get()
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
            close: { try? await $0.close().get() })
        return SQLPool(pool: pool, asDatabase: { $0.sql(queryLogLevel: nil) })
    }
}
