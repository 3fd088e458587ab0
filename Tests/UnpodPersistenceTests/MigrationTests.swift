import Foundation
import SQLKit
import Testing
import UnpodCore
import UnpodTestSupport
@testable import UnpodPersistence

@Suite struct MigrationTests {
    @Test(arguments: TestDatabase.all)
    func migrationsAreRecordedAndApplyOnce(_ engine: TestDatabase) async throws {
        try await withTestStore(engine) { store, _ in
            let versions = try await store.database.withConnection { db in
                try await db.raw("SELECT version FROM schema_migrations ORDER BY version").all()
                    .map { try $0.decode(column: "version", as: Int.self) }
            }
            #expect(versions == Migration.all.map(\.version))
            let again = try await Migrator(database: store.database).migrate()
            #expect(again.isEmpty)
            #expect(try await store.productHandles() == ["unpod.ai"])
            #expect(try await store.authEpoch() == 0)
        }
    }

    @Test func sqliteFilesUseWALMode() async throws {
        try await withTestStore(.sqlite) { store, _ in
            let mode = try await store.database.withConnection { db in
                try await db.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self)
            }
            #expect(mode == "wal")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aFailedTransactionLeavesNothingBehind(_ engine: TestDatabase) async throws {
        struct Boom: Error {}
        try await withTestStore(engine) { store, _ in
            await #expect(throws: Boom.self) {
                try await store.database.transaction { db in
                    try await db.raw(
                        "INSERT INTO users (email, password_hash, is_active, created_at) VALUES ('x@y.z', 'h', \(bind: true), 0)"
                    ).run()
                    throw Boom()
                }
            }
            let users = try await store.userCount()
            #expect(users == 0)
        }
    }
}

@Suite struct ServerSecretsTests {
    @Test func theEmbeddedDefaultCreatesAnOwnerOnlySecretsFileOnceAndReusesIt() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("secrets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let location = DatabaseLocation.sqlite(path: directory.appendingPathComponent("db.sqlite").path)
        let first = try ServerSecrets.load(for: location, environment: [:])
        let path = directory.appendingPathComponent("db.sqlite.secrets").path
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try ServerSecrets.load(for: location, environment: [:]) == first)
    }

    @Test func environmentVariablesWinAndPostgreSQLRequiresThem() throws {
        let environment = testSecretsEnvironment
        #expect(try ServerSecrets.load(for: .postgres(url: "postgres://u@h/d"), environment: environment) == testSecrets)
        #expect(throws: DatabaseError.self) {
            try ServerSecrets.load(for: .postgres(url: "postgres://u@h/d"), environment: [:])
        }
        #expect(throws: DatabaseError.self) {
            try ServerSecrets.load(for: .defaultValue, environment: ["UNPOD_MASTER_KEY": "c2hvcnQ=", "UNPOD_PEPPER": "c2hvcnQ="])
        }
        #expect(throws: DatabaseError.self) {
            try ServerSecrets.load(for: .defaultValue, environment: ["UNPOD_PEPPER": environment["UNPOD_PEPPER"]!])
        }
    }

    @Test func databaseLocationsParseAndHidePasswords() throws {
        #expect(try DatabaseLocation(parsing: "sqlite:./unpod.sqlite") == .sqlite(path: "./unpod.sqlite"))
        #expect(try DatabaseLocation(parsing: "sqlite:///var/db.sqlite") == .sqlite(path: "/var/db.sqlite"))
        let postgres = try DatabaseLocation(parsing: "postgres://app:hunter2@db:5432/unpod")
        #expect(!postgres.description.contains("hunter2"))
        #expect(throws: DatabaseError.self) { try DatabaseLocation(parsing: "mysql://x") }
        #expect(throws: DatabaseError.self) { try DatabaseLocation(parsing: "sqlite:") }
    }
}
