import Foundation
import Logging
import NIOPosix
import PostgresKit
import SQLKit
import Synchronization

/// Events between server nodes on one PostgreSQL database: NOTIFY on a named channel to publish,
/// LISTEN on a connection of its own to receive. Rooms (issue 7, item 6) use `unpod_rooms`, live
/// calls (issue 17, item 8) `unpod_calls`. A payload over NOTIFY's 8,000 bytes goes through the
/// `room_relay` table and is announced by its id. Delivery order is each node's publishing order
/// (publish from one task); nothing is kept for a node that is not listening.
public final class RelayChannel: Sendable {
    public static let rooms = "unpod_rooms"
    public static let calls = "unpod_calls"
    /// The auth epoch moved (a key, user or membership changed): nodes drop their auth caches.
    public static let auth = "unpod_auth"
    /// NOTIFY refuses payloads from 8,000 bytes; room events are JSON text.
    static let inlineLimit = 7_900

    /// The NOTIFY channel.
    public let name: String
    private let database: Database
    private let configuration: PostgresConnection.Configuration
    private let logger: Logger
    private let publisher = Mutex<PostgresConnection?>(nil)

    init(name: String, database: Database, configuration: PostgresConnection.Configuration, logger: Logger) {
        self.name = name
        self.database = database
        self.configuration = configuration
        self.logger = logger
    }

    /// Publishes on a connection of the channel's own (opened on first use, reopened after a
    /// failure): the relay must not wait behind the pool's requests, nor hold one of its
    /// connections. Call from one task at a time (each relay publishes from one loop, in order).
    public func publish(_ payload: String) async throws {
        if payload.utf8.count > Self.inlineLimit { return try await publishLarge(payload) }
        let connection = try await publishingConnection()
        do {
            try await connection.query("SELECT pg_notify(\(name), \(payload))", logger: logger)
        } catch {
            publisher.withLock { $0 = nil }
            Self.close(connection)
            throw error
        }
    }

    /// Closes the publishing connection (the node is stopping).
    public func close() {
        if let connection = publisher.withLock({ current in defer { current = nil }; return current }) {
            Self.close(connection)
        }
    }

    /// Closes a connection, keeping it alive until it is closed (PostgresNIO traps on a
    /// connection released before its close completes).
    private static func close(_ connection: PostgresConnection) {
        (connection.close() as EventLoopFuture<Void>).whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    private func publishingConnection() async throws -> PostgresConnection {
        if let open = publisher.withLock({ $0 }), !open.isClosed { return open }
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: 1_000_001, logger: logger
        ).get()
        publisher.withLock { $0 = connection }
        return connection
    }

    /// A payload over NOTIFY's limit: stored, and announced by its id (rare; through the pool).
    private func publishLarge(_ payload: String) async throws {
        try await database.withConnection { db in
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let id = try await db.raw(
                "INSERT INTO room_relay (payload, created_at) VALUES (\(bind: payload), \(bind: now)) RETURNING id"
            ).first()!.decode(column: "id", as: Int64.self)
            try await db.raw("SELECT pg_notify(\(bind: name), \(bind: "#\(id)"))").run()
            // Receivers read a large event within moments; a minute is plenty.
            try await db.raw("DELETE FROM room_relay WHERE created_at < \(bind: now - 60_000)").run()
        }
    }

    /// Calls `receive` with every event published by any node (this one included) until cancelled
    /// or the connection fails (then it throws, and the caller listens again). `ready` runs once
    /// the LISTEN is in place: from then on nothing published is missed.
    public func listen(ready: @escaping @Sendable () async -> Void, _ receive: @escaping @Sendable (String) async -> Void) async throws {
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: 1_000_000, logger: logger
        ).get()
        defer { Task { try? await connection.close().get() } }
        // Cancellation (a node shutting down) closes the connection, which ends the LISTEN whatever
        // state it is in: PostgresNIO's own cancellation of a LISTEN still being set up can leave
        // it waiting for good, and with it the node's shutdown.
        try await withTaskCancellationHandler {
            try Task.checkCancellation()
            try await receiveAll(on: connection, ready: ready, receive)
        } onCancel: {
            Self.close(connection)
        }
    }

    private func receiveAll(
        on connection: PostgresConnection, ready: @escaping @Sendable () async -> Void, _ receive: @escaping @Sendable (String) async -> Void
    ) async throws {
        try await connection.listen(on: name) { notifications in
            await ready()
            for try await notification in notifications {
                let payload = notification.payload
                if payload.hasPrefix("#"), let id = Int64(payload.dropFirst()) {
                    let stored = try await database.withConnection { db in
                        try await db.raw("SELECT payload FROM room_relay WHERE id = \(bind: id)").first()?
                            .decode(column: "payload", as: String.self)
                    }
                    if let stored { await receive(stored) }
                } else {
                    await receive(payload)
                }
            }
        }
    }
}

extension SQLStore {
    /// A relay between nodes, on PostgreSQL; nil on SQLite, where rooms and calls live in the one process.
    public func relayChannel(named name: String, logger: Logger) throws -> RelayChannel? {
        guard case .postgres(let url) = database.location else { return nil }
        let configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
        return RelayChannel(name: name, database: database, configuration: configuration, logger: logger)
    }
}
