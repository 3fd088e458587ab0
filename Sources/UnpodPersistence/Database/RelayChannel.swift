import Foundation
import Logging
import NIOPosix
import PostgresKit
import SQLKit

/// Events between server nodes on one PostgreSQL database: NOTIFY on a named channel to publish,
/// LISTEN on a connection of its own to receive. Rooms (issue 7, item 6) use `unpod_rooms`, live
/// calls (issue 17, item 8) `unpod_calls`. A payload over NOTIFY's 8,000 bytes goes through the
/// `room_relay` table and is announced by its id. Delivery order is each node's publishing order
/// (publish from one task); nothing is kept for a node that is not listening.
public final class RelayChannel: Sendable {
    public static let rooms = "unpod_rooms"
    public static let calls = "unpod_calls"
    /// NOTIFY refuses payloads from 8,000 bytes; room events are JSON text.
    static let inlineLimit = 7_900

    /// The NOTIFY channel.
    public let name: String
    private let database: Database
    private let configuration: PostgresConnection.Configuration
    private let logger: Logger

    init(name: String, database: Database, configuration: PostgresConnection.Configuration, logger: Logger) {
        self.name = name
        self.database = database
        self.configuration = configuration
        self.logger = logger
    }

    public func publish(_ payload: String) async throws {
        try await database.withConnection { db in
            if payload.utf8.count <= Self.inlineLimit {
                try await db.raw("SELECT pg_notify(\(bind: name), \(bind: payload))").run()
                return
            }
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
