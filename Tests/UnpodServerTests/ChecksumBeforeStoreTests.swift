import Foundation
import Synchronization
import Testing
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

/// A credential store that records every lookup; the test fails if the auth check asks it at all.
final class WatchedCredentialStore: CredentialStore {
    let inner: SQLStore
    let lookups = Atomic<Int>(0)

    init(_ inner: SQLStore) { self.inner = inner }

    func credential(lookupHash: LookupHash) async throws -> StoredCredential? {
        lookups.add(1, ordering: .relaxed)
        return try await inner.credential(lookupHash: lookupHash)
    }
}

@Suite struct ChecksumBeforeStoreTests {
    @Test(arguments: TestDatabase.all)
    func aBrokenChecksumIsRefusedWithoutAskingTheStore(_ engine: TestDatabase) async throws {
        let watched = Mutex<WatchedCredentialStore?>(nil)
        try await withServer(engine, credentials: { store in
            let wrapper = WatchedCredentialStore(store)
            watched.withLock { $0 = wrapper }
            return wrapper
        }, seed: { try await Fixture.make($0) }) { server, fixture in
            let store = try #require(watched.withLock { $0 })
            var broken = Array(fixture.token)
            broken[30] = broken[30] == "a" ? "b" : "a"
            for token in [String(broken), "unpod_" + String(repeating: "A", count: 66), "garbage"] {
                expectError(try await server.get("/api/v2/platform/organizations/", token: token), .invalidToken)
            }
            #expect(store.lookups.load(ordering: .relaxed) == 0, "a made-up token reached the store")

            // The valid token is looked up once, then served from the cache.
            for _ in 0..<5 {
                #expect(try await server.get("/api/v2/platform/organizations/", token: fixture.token).status == .ok)
            }
            #expect(store.lookups.load(ordering: .relaxed) == 1)
            // An unknown but well-formed token is looked up once, then remembered as unknown.
            let unknown = APIKeyToken.generate().text
            for _ in 0..<3 {
                expectError(try await server.get("/api/v2/platform/organizations/", token: unknown), .invalidToken)
            }
            #expect(store.lookups.load(ordering: .relaxed) == 2)
        }
    }
}
