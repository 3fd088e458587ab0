import Foundation
import Synchronization
import Testing
import UnpodClient
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

/// Durability (issue 5, item 8): the real server killed with SIGKILL while a client writes as
/// fast as it can; after a restart every write that had been answered with 2xx is there.
@Suite(.serialized) struct CrashTests {
    @Test(arguments: TestDatabase.all)
    func noAnsweredWriteIsLostWhenTheServerIsKilled(_ engine: TestDatabase) async throws {
        let database = try await TestDatabaseInstance.make(engine)
        defer { Task { await database.remove() } }
        let store = try await database.openStore()
        let admin = try await Fixture.make(store)
        await store.shutdown()

        let server = try await ServerProcess(database: database.location)
        let client = UnpodClient(baseURL: server.baseURL, token: admin.token)
        let answered = Answered()
        let location = ServerProcess.text(database.location)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    var index = 0
                    while true {
                        index += 1
                        do {
                            let key = try await client.createAPIKey(name: "w\(writer)-\(index)")
                            answered.keys.withLock { $0.append(key.keyId) }
                        } catch {
                            return  // the server is gone
                        }
                    }
                }
            }
            // Users are made on the command line beside the server, into the same database.
            group.addTask {
                for index in 0..<1000 {
                    let email = "u\(index)@example.com"
                    let result = try await UnpodBinary.runDetached(
                        ["users", "create", "--email", email, "--password-stdin", "--database", location],
                        input: "a long enough password\n", environment: testSecretsEnvironment)
                    guard result.status == 0 else { return }
                    answered.users.withLock { $0.append(email) }
                    if answered.serverKilled.load(ordering: .relaxed) { return }
                }
            }
            // Kill in the middle of the writes: once some of each are answered (at most 10 s).
            let start = ContinuousClock.now
            while ContinuousClock.now - start < .seconds(10),
                answered.keys.withLock({ $0.count }) < 30 || answered.users.withLock({ $0.count }) < 3
            {
                try await Task.sleep(for: .milliseconds(50))
            }
            server.kill()
            answered.serverKilled.store(true, ordering: .relaxed)
            try await group.waitForAll()
        }
        let keys = answered.keys.withLock { $0 }
        let users = answered.users.withLock { $0 }
        #expect(keys.count > 20, "the client wrote before the kill (\(keys.count) keys)")
        #expect(users.count > 2, "users were made meanwhile (\(users.count))")

        let restarted = try await ServerProcess(database: database.location)
        defer { restarted.stop() }
        let stored = Set(try await UnpodClient(baseURL: restarted.baseURL, token: admin.token).apiKeys().map(\.keyId))
        let lost = keys.filter { !stored.contains($0) }
        #expect(lost.isEmpty, "answered with 201 but gone after the restart: \(lost)")
        let reopened = try await database.openStore()
        for email in users { #expect(try await reopened.user(email: email) != nil, "user \(email) lost") }
        // One audit event per key, written with it: none half-written.
        let created = try await reopened.auditEvents(AuditFilter(action: "api_key.created"), page: 1, pageSize: 100)
        #expect(created.count == stored.count, "every stored key has its audit event and no event lacks its key")
        await reopened.shutdown()
    }

    /// What the server (keys) and the command line (users) acknowledged.
    final class Answered: Sendable {
        let keys = Mutex<[String]>([])
        let users = Mutex<[String]>([])
        let serverKilled = Atomic<Bool>(false)
    }

    @Test func theSQLiteFilesAreReadableByTheirOwnerOnly() async throws {
        try await withTestStore(.sqlite) { store, database in
            _ = try await Fixture.make(store)
            let path = try #require(database.sqlitePath)
            for file in [path, path + "-wal", path + "-shm"] {
                let attributes = try FileManager.default.attributesOfItem(atPath: file)
                let mode = try #require(attributes[.posixPermissions] as? Int)
                #expect(mode == 0o600, "\(file) has mode \(String(mode, radix: 8))")
            }
        }
    }
}
