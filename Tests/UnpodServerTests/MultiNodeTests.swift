import AsyncHTTPClient
import Foundation
import Testing
import UnpodClient
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

@testable import UnpodServer

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

    /// An address's failed authentications count on every node (issue 18, item 5): fifteen on one
    /// node and five on another spend a budget of twenty, and both hold the address back from there;
    /// a restarted node gets no fresh budget. Counted per node, each would answer 401 until its own
    /// twenty-first failure.
    @Test(arguments: TestDatabase.all)
    func anAddressSpendsOneFailedAuthBudgetOnEveryNode(_ engine: TestDatabase) async throws {
        try await withTestStore(engine) { store, database in
            let arguments = ["--failed-auth-limit", "20/min"]
            let first = try await ServerProcess(database: database.location, arguments: arguments)
            defer { first.stop() }
            let second = try await ServerProcess(database: database.location, arguments: arguments)
            defer { second.stop() }

            /// The error code of a request with a made-up token (a broken checksum: no lookup).
            func attempt(_ node: ServerProcess) async -> String? {
                do {
                    _ = try await UnpodClient(baseURL: node.baseURL, token: "unpod_broken").organizations()
                    return nil
                } catch let error as APIError {
                    return error.code
                } catch {
                    return "\(error)"
                }
            }
            func shared() async throws -> Int {
                try await store.failureWindow(FailedAuthSharing.sharedKey("127.0.0.1"))?.failures ?? 0
            }
            /// Fails until the node answers 429; between tries, waits for the node to have shared the
            /// last failure (and to have read the answer).
            func throttledWithinFourTries(_ node: ServerProcess) async throws -> Bool {
                for _ in 0..<4 {
                    let before = try await shared()
                    if await attempt(node) == "throttled" { return true }
                    try await eventually(within: 10) { try await shared() > before }
                    try await Task.sleep(for: .milliseconds(100))
                }
                return false
            }

            for _ in 0..<15 { #expect(await attempt(first) == "invalid_token") }
            try await eventually(within: 10) { try await shared() == 15 }
            // Five more on the second node spend the budget of twenty, not more: still 401.
            for _ in 0..<5 { #expect(await attempt(second) == "invalid_token") }
            #expect(try await throttledWithinFourTries(second), "counted per node, its 6th to 9th failures are 401")
            #expect(try await throttledWithinFourTries(first), "counted per node, its 16th to 19th failures are 401")

            first.stop()
            let restarted = try await ServerProcess(database: database.location, arguments: arguments)
            defer { restarted.stop() }
            #expect(try await throttledWithinFourTries(restarted))
        }
    }
}
