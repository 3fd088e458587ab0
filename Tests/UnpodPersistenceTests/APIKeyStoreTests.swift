import Foundation
import SQLKit
import Testing
import UnpodCore
import UnpodTestSupport
@testable import UnpodPersistence

@Suite struct APIKeyStoreTests {
    @Test(arguments: TestDatabase.all)
    func aKeyIsFoundByItsHashAndTheTokenIsNeverStored(_ engine: TestDatabase) async throws {
        try await withTestStore(engine) { store, _ in
            let fixture = try await Fixture.make(store)
            let token = try #require(APIKeyToken.parse(fixture.token))
            let credential = try #require(try await store.credential(lookupHash: store.vault.lookupHash(of: token.text)))
            #expect(credential.keyID == token.keyID)
            #expect(credential.scopes == .all)
            #expect(credential.memberships.map(\.organization.domainHandle) == ["acme"])
            #expect(credential.memberships.first?.role == .owner)

            let row = try await store.database.withConnection { db in
                try await db.raw("SELECT * FROM api_keys").first()
            }
            let columns = try #require(row).allColumns
            for column in columns {
                if let value = try? row!.decode(column: column, as: String.self) {
                    #expect(!value.contains(token.secret), "column \(column) holds the secret")
                    #expect(!value.contains(token.text), "column \(column) holds the token")
                }
            }
            #expect(try await store.signingSecret(keyID: token.keyID) == token.secret)
        }
    }

    @Test(arguments: TestDatabase.all)
    func revokingHidesTheKeyAndWipesItsSecretAndBumpsTheEpoch(_ engine: TestDatabase) async throws {
        try await withTestStore(engine) { store, _ in
            let fixture = try await Fixture.make(store)
            let before = try await store.authEpoch()
            try await store.revokeAPIKey(fixture.key.keyId, of: .user(fixture.user.id))
            #expect(try await store.authEpoch() > before)
            #expect(try await store.credential(lookupHash: store.vault.lookupHash(of: fixture.token)) == nil)
            #expect(try await store.signingSecret(keyID: fixture.key.keyId) == nil)
            #expect(try await store.apiKeys(of: .user(fixture.user.id)).isEmpty)
            await #expect(throws: StoreError.notFound("API key not found.")) {
                try await store.revokeAPIKey(fixture.key.keyId, of: .user(fixture.user.id))
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func anotherUsersKeyCannotBeSeenRevokedOrRotated(_ engine: TestDatabase) async throws {
        try await withTestStore(engine) { store, _ in
            let alice = try await Fixture.make(store)
            let bob = try await Fixture.make(store, email: "bob@example.com", handle: "bobco")
            #expect(try await store.apiKeys(of: .user(bob.user.id)).map(\.keyId) == [bob.key.keyId])
            await #expect(throws: StoreError.self) {
                try await store.revokeAPIKey(alice.key.keyId, of: .user(bob.user.id))
            }
            await #expect(throws: StoreError.self) {
                try await store.rotateAPIKey(alice.key.keyId, of: .user(bob.user.id), grace: 60, expiresIn: nil)
            }
            #expect(try await store.credential(lookupHash: store.vault.lookupHash(of: alice.token)) != nil)
        }
    }

    @Test(arguments: TestDatabase.all)
    func rotationKeepsTheOldKeyForTheGraceButNeverPastItsExpiry(_ engine: TestDatabase) async throws {
        let clock = ManualClock()
        try await withTestStore(engine, clock: clock) { store, _ in
            let fixture = try await Fixture.make(store, expiresAt: clock.now().addingTimeInterval(3600))
            let rotated = try await store.rotateAPIKey(fixture.key.keyId, of: .anyone, grace: 86_400, expiresIn: nil)
            #expect(rotated.replacesKeyId == fixture.key.keyId)
            #expect(rotated.previousKeyGraceUntil == fixture.key.expiresAt, "grace is capped by the old expiry")
            #expect(rotated.expiresAt == clock.now().addingTimeInterval(3600), "same lifetime, from now")
            let old = try #require(try await store.credential(lookupHash: store.vault.lookupHash(of: fixture.token)))
            #expect(old.rotatedAt == clock.now())
            #expect(old.effectiveExpiry == fixture.key.expiresAt)
            await #expect(throws: StoreError.self) {
                try await store.rotateAPIKey(fixture.key.keyId, of: .anyone, grace: 60, expiresIn: nil)
            }
            let summaries = try await store.apiKeys(of: .user(fixture.user.id))
            #expect(summaries.map(\.status) == [.rotated, .active])
        }
    }

    @Test(arguments: TestDatabase.all)
    func lastUsedTimesAreWrittenInABatchAndNeverGoBack(_ engine: TestDatabase) async throws {
        try await withTestStore(engine) { store, _ in
            let fixture = try await Fixture.make(store)
            let credential = try #require(try await store.credential(lookupHash: store.vault.lookupHash(of: fixture.token)))
            let later = Date(timeIntervalSince1970: 1_900_000_000)
            try await store.recordLastUsed([credential.keyRowID: later])
            try await store.recordLastUsed([credential.keyRowID: later.addingTimeInterval(-100)])
            #expect(try await store.apiKeys(of: .anyone).first?.lastUsedAt == later)
        }
    }

    @Test(arguments: TestDatabase.all)
    func duplicatesAreRefusedInDomainWords(_ engine: TestDatabase) async throws {
        try await withTestStore(engine) { store, _ in
            let fixture = try await Fixture.make(store)
            await #expect(throws: StoreError.self) {
                try await store.createUser(email: "OWNER@example.com", password: "another password")
            }
            await #expect(throws: StoreError.self) {
                try await store.createOrganization(name: "Again", handle: "acme", ownerID: fixture.user.id)
            }
            await #expect(throws: StoreError.self) {
                try await store.createOrganization(name: "Bad", handle: "Not A Handle!", ownerID: fixture.user.id)
            }
            #expect(try await store.userCount() == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func passwordsAreStoredAsBcryptHashes(_ engine: TestDatabase) async throws {
        try await withTestStore(engine) { store, _ in
            _ = try await store.createUser(email: "p@example.com", password: "s3cret-passw0rd")
            let hash = try await store.database.withConnection { db in
                try await db.raw("SELECT password_hash FROM users").first()!.decode(column: "password_hash", as: String.self)
            }
            #expect(hash.hasPrefix("$2"))
            #expect(!hash.contains("s3cret-passw0rd"))
            #expect(try await store.verifyPassword(email: "p@example.com", password: "s3cret-passw0rd") != nil)
            #expect(try await store.verifyPassword(email: "p@example.com", password: "wrong") == nil)
        }
    }
}
