import Foundation
import SQLKit
import UnpodCore

/// The platform's data, over SQLite or PostgreSQL (one set of queries for both).
///
/// Every organization-scoped read takes the organization id as a parameter, so a handler cannot
/// forget the tenant. Every change that affects authentication bumps the auth epoch in the same
/// transaction (see ``SQLStore/authEpoch()``).
public struct SQLStore: Sendable {
    public let database: Database
    public let vault: KeyVault
    public let clock: any WallClock
    /// bcrypt's work factor for passwords; tests lower it, production keeps the default.
    public let bcryptCost: UInt8

    public init(database: Database, vault: KeyVault, clock: any WallClock = SystemClock(), bcryptCost: UInt8 = 12) {
        self.database = database
        self.vault = vault
        self.clock = clock
        self.bcryptCost = bcryptCost
    }

    /// Opens the database, loads or creates the server secrets, and applies pending migrations.
    public static func open(
        _ location: DatabaseLocation, clock: any WallClock = SystemClock(), bcryptCost: UInt8 = 12,
        environment: [String: String] = ProcessInfo.processInfo.environment, maxConnections: Int = 4
    ) async throws -> SQLStore {
        let secrets = try ServerSecrets.load(for: location, environment: environment)
        let database = try await Database.open(location, maxConnections: maxConnections)
        do {
            try await Migrator(database: database).migrate()
        } catch {
            await database.shutdown()
            throw error
        }
        return SQLStore(database: database, vault: secrets.vault, clock: clock, bcryptCost: bcryptCost)
    }

    public func shutdown() async {
        await database.shutdown()
    }
}
