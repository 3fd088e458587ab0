import AsyncHTTPClient
import Foundation
import Testing
import UnpodClient
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

/// Two real server processes on one database: a key deleted through one is refused by the other
/// within one second (decisions.md section 1; issue 2).
@Suite(.serialized) struct MultiNodeTests {
    @Test(arguments: TestDatabase.all)
    func aKeyDeletedOnOneNodeIsRefusedByTheOtherWithinOneSecond(_ engine: TestDatabase) async throws {
        try await withTestStore(engine) { store, database in
            let admin = try await Fixture.make(store)
            let first = try await ServerProcess(database: database.location)
            defer { first.stop() }
            let second = try await ServerProcess(database: database.location)
            defer { second.stop() }

            let viaFirst = UnpodClient(baseURL: first.baseURL, token: admin.token)
            let key = try await viaFirst.createAPIKey(name: "short-lived", scopes: [.read])
            let secondWithKey = UnpodClient(baseURL: second.baseURL, token: key.token)
            #expect(try await secondWithKey.organizations().map(\.domainHandle) == ["acme"])  // now cached there

            try await viaFirst.deleteAPIKey(key.keyId)
            let revokedAt = ContinuousClock.now
            await #expect(throws: APIError.invalidToken) {
                try await UnpodClient(baseURL: first.baseURL, token: key.token).organizations()
            }
            var refusedAfter: Duration?
            while ContinuousClock.now - revokedAt < .seconds(3) {
                do {
                    _ = try await secondWithKey.organizations()
                    try await Task.sleep(for: .milliseconds(10))
                } catch let error as APIError {
                    #expect(error == .invalidToken)
                    refusedAfter = ContinuousClock.now - revokedAt
                    break
                }
            }
            let elapsed = try #require(refusedAfter, "the second node never refused the deleted key")
            #expect(elapsed < .seconds(1), "refused after \(elapsed)")

            for node in [first, second] {
                #expect(!node.output.contains(key.token) && !node.output.contains(admin.token))
            }
        }
    }
}
