import Foundation
import SQLKit
import UnpodCore
import UnpodPersistence

/// The engines every store and auth test runs on: SQLite always, PostgreSQL when
/// `UNPOD_TEST_POSTGRES_URL` names a server (CI always sets it).
public enum TestDatabase: String, Sendable {
    case sqlite
    case postgres

    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["UNPOD_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public static var all: [TestDatabase] {
        postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    public var testDescription: String { rawValue }
}


/// Secrets fixed per process, so a test can open the same database from a second store or process.
public let testSecrets = ServerSecrets.generate()

public var testSecretsEnvironment: [String: String] {
    [
        "UNPOD_MASTER_KEY": Data(testSecrets.masterKey).base64EncodedString(),
        "UNPOD_PEPPER": Data(testSecrets.pepper).base64EncodedString(),
    ]
}

/// A fresh, empty, migrated database of one engine, removed afterwards.
public struct TestDatabaseInstance: Sendable {
    public let engine: TestDatabase
    public let location: DatabaseLocation
    /// The SQLite file, for tests that read its bytes.
    public let sqlitePath: String?
    private let directory: URL?
    private let postgresName: String?

    public static func make(_ engine: TestDatabase) async throws -> TestDatabaseInstance {
        switch engine {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "unpod-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let path = directory.appendingPathComponent("test.sqlite").path
            return TestDatabaseInstance(
                engine: engine, location: .sqlite(path: path), sqlitePath: path, directory: directory,
                postgresName: nil)
        case .postgres:
            guard let adminURL = TestDatabase.postgresURL else { throw TestSetupError("no PostgreSQL URL") }
            let name = "unpod_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
            try await withAdmin(adminURL) { db in
                try await db.raw("CREATE DATABASE \(ident: String(name))").run()
            }
            return TestDatabaseInstance(
                engine: engine, location: .postgres(url: try Self.url(adminURL, database: String(name))),
                sqlitePath: nil, directory: nil, postgresName: String(name))
        }
    }

    /// Opens a store on this database with the test secrets, a cheap bcrypt cost and the given clock.
    public func openStore(clock: any WallClock = SystemClock(), maxConnections: Int = 4) async throws -> SQLStore {
        try await SQLStore.open(
            location, clock: clock, bcryptCost: 4, environment: testSecretsEnvironment, maxConnections: maxConnections)
    }

    public func remove() async {
        if let directory { try? FileManager.default.removeItem(at: directory) }
        if let postgresName, let adminURL = TestDatabase.postgresURL {
            try? await Self.withAdmin(adminURL) { db in
                try await db.raw("DROP DATABASE IF EXISTS \(ident: postgresName) WITH (FORCE)").run()
            }
        }
    }

    /// The URL of the test database, for tools such as pg_dump and for child processes.
    public var postgresURL: String? {
        if case .postgres(let url) = location { return url }
        return nil
    }

    private static func withAdmin(_ url: String, _ body: @Sendable (any SQLDatabase) async throws -> Void) async throws {
        let admin = try await Database.open(.postgres(url: url), maxConnections: 1)
        do {
            try await admin.withConnection(body)
            await admin.shutdown()
        } catch {
            await admin.shutdown()
            throw error
        }
    }

    private static func url(_ adminURL: String, database: String) throws -> String {
        guard var components = URLComponents(string: adminURL) else { throw TestSetupError("bad URL \(adminURL)") }
        components.path = "/" + database
        return components.string!
    }
}

/// Runs `body` with a fresh database and store, and cleans both up whatever happens.
public func withTestStore<Result: Sendable>(
    _ engine: TestDatabase, clock: any WallClock = SystemClock(),
    _ body: (SQLStore, TestDatabaseInstance) async throws -> Result
) async throws -> Result {
    let instance = try await TestDatabaseInstance.make(engine)
    do {
        let store = try await instance.openStore(clock: clock)
        do {
            let result = try await body(store, instance)
            await store.shutdown()
            await instance.remove()
            return result
        } catch {
            await store.shutdown()
            throw error
        }
    } catch {
        await instance.remove()
        throw error
    }
}

public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
