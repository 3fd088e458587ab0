import Foundation
import HTTPTypes
import Synchronization
import Testing
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

/// Failed authentications per client address (issue 5, item 4).
@Suite struct FailedAuthThrottleTests {
    @Test(arguments: TestDatabase.all)
    func anAddressOverItsBudgetGets429WithoutAStoreCallWhileValidKeysKeepWorking(_ engine: TestDatabase) async throws {
        let watched = Mutex<WatchedCredentialStore?>(nil)
        try await withServer(
            engine,
            credentials: { store in
                let wrapper = WatchedCredentialStore(store)
                watched.withLock { $0 = wrapper }
                return wrapper
            }, configure: { $0.failedAuthLimit = "5/min" }, seed: { try await Fixture.make($0) }
        ) { server, fixture in
            let store = try #require(watched.withLock { $0 })
            #expect(try await server.get(Paths.organizations, token: fixture.token).status == .ok)
            // Five failures are answered as such: made-up tokens (each costs one lookup) and a broken checksum.
            for _ in 0..<4 {
                expectError(try await server.get(Paths.organizations, token: APIKeyToken.generate().text), .invalidToken)
            }
            expectError(try await server.get(Paths.organizations, token: "unpod_broken"), .invalidToken)
            let lookupsBefore = store.lookups.load(ordering: .relaxed)
            #expect(lookupsBefore == 5, "one for the valid key, four for the made-up ones")

            // Past the budget: 429 with Retry-After, and no lookup.
            for token in [APIKeyToken.generate().text, APIKeyToken.generate().text, "unpod_broken"] {
                let response = try await server.get(Paths.organizations, token: token)
                #expect(response.status.code == 429)
                #expect(response.error?.code == "throttled")
                let wait = try #require(response.headers[.retryAfter].flatMap { Int($0) })
                #expect((1...60).contains(wait))
                #expect(response.error?.message == "Request was throttled. Expected available in \(wait) seconds.")
            }
            #expect(store.lookups.load(ordering: .relaxed) == lookupsBefore, "a throttled attempt cost a lookup")

            // The valid key, from the same address, is never slowed: cached, and after the cache is
            // cleared (a change elsewhere) looked up again because this node verified it before.
            for _ in 0..<3 { #expect(try await server.get(Paths.organizations, token: fixture.token).status == .ok) }
            let other = try await server.store.createAPIKey(
                userID: fixture.user.id, name: "other", scopes: .all, organization: nil, expiresAt: nil)
            try await server.store.setUserActive(fixture.user.id, true)  // bumps the auth epoch
            try await Task.sleep(for: .milliseconds(300))  // the epoch watcher clears the cache
            #expect(try await server.get(Paths.organizations, token: fixture.token).status == .ok)
            #expect(store.lookups.load(ordering: .relaxed) == lookupsBefore + 1)
            // A key this node never verified waits, like any unknown token from this address.
            #expect(try await server.get(Paths.organizations, token: other.token).status.code == 429)
        }
    }

    @Test(arguments: TestDatabase.all)
    func forwardedForCountsOnlyBehindATrustedProxy(_ engine: TestDatabase) async throws {
        let forwarded = HTTPField.Name("X-Forwarded-For")!
        try await withServer(engine, configure: {
            $0.failedAuthLimit = "3/min"
            $0.trustedProxies = ["127.0.0.0/8"]
        }) { server in
            for _ in 0..<3 {
                let response = try await server.get(Paths.organizations, token: "unpod_bad", headers: [forwarded: "203.0.113.7"])
                expectError(response, .invalidToken)
            }
            let throttled = try await server.get(Paths.organizations, token: "unpod_bad", headers: [forwarded: "203.0.113.7"])
            #expect(throttled.status.code == 429)
            // Another client behind the same proxy has its own budget.
            let other = try await server.get(
                Paths.organizations, token: "unpod_bad", headers: [forwarded: "198.51.100.1, 127.0.0.1"])
            expectError(other, .invalidToken)
        }
        try await withServer(engine, configure: { $0.failedAuthLimit = "3/min" }) { server in
            // No trusted proxy: the header is the client's word and is ignored; the peer address counts.
            for index in 0..<3 {
                let response = try await server.get(
                    Paths.organizations, token: "unpod_bad", headers: [forwarded: "203.0.113.\(index)"])
                expectError(response, .invalidToken)
            }
            let response = try await server.get(Paths.organizations, token: "unpod_bad", headers: [forwarded: "192.0.2.9"])
            #expect(response.status.code == 429)
        }
    }
}
