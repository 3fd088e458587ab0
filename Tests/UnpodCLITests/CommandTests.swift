import ArgumentParser
import Foundation
import Synchronization
import Testing
import UnpodAPI
import UnpodCore
import UnpodPersistence
import UnpodTestSupport
@testable import UnpodCLI

/// Collects what a command prints.
final class Lines: Output {
    private let storage = Mutex<[String]>([])
    var all: [String] { storage.withLock { $0 } }
    func line(_ text: String) { storage.withLock { $0.append(text) } }
}

@Suite struct CommandTests {
    @Test func commandsParseAsDocumented() throws {
        let create = try #require(
            try UnpodCommand.parseAsRoot([
                "keys", "create", "--email", "a@b.c", "--org", "acme", "--name", "ci", "--scopes", "read,write",
                "--expires-in", "30d", "--database", "sqlite:/tmp/x.sqlite",
            ]) as? KeysCommand.Create)
        #expect(create.email == "a@b.c" && create.org == "acme" && create.scopes == "read,write")
        #expect(try create.database.location() == .sqlite(path: "/tmp/x.sqlite"))
        let rotate = try #require(try UnpodCommand.parseAsRoot(["keys", "rotate", "KEY", "--grace", "1h"]) as? KeysCommand.Rotate)
        #expect(rotate.keyID == "KEY" && rotate.grace == "1h")
        let serve = try #require(try UnpodCommand.parseAsRoot(["serve", "--port", "9000"]) as? ServeCommand)
        #expect(serve.port == 9000 && serve.host == "127.0.0.1")
        #expect(throws: (any Error).self) { try UnpodCommand.parseAsRoot(["keys", "create", "--email", "a", "--scopes", "root"]) }
        #expect(throws: (any Error).self) { try UnpodCommand.parseAsRoot(["keys", "rotate", "K", "--grace", "soon"]) }
        #expect(try DatabaseOptions.parse([]).location(environment: [:]) == .defaultValue)
        #expect(
            try DatabaseOptions.parse([]).location(environment: ["UNPOD_DATABASE_URL": "postgres://u@h/d"])
                == .postgres(url: "postgres://u@h/d"))
    }

    @Test(arguments: TestDatabase.all)
    func usersOrgsAndKeysFromTheCommandLine(_ engine: TestDatabase) async throws {
        try await withTestStore(engine) { store, _ in
            let output = Lines()
            try await (try UnpodCommand.parseAsRoot(["users", "create", "--email", "Ops@Example.com"]) as! UsersCommand.Create)
                .execute(store: store, password: nil, output: output)
            #expect(output.all.first == "created user ops@example.com (id 1)")
            let password = try #require(output.all.last?.replacingOccurrences(of: "password: ", with: ""))
            #expect(try await store.verifyPassword(email: "ops@example.com", password: password) != nil)

            try await (try UnpodCommand.parseAsRoot(["orgs", "create", "--handle", "acme", "--name", "Acme", "--owner", "ops@example.com"])
                as! OrgsCommand.Create).execute(store: store, output: output)

            let keyLines = Lines()
            try await (try UnpodCommand.parseAsRoot(["keys", "create", "--email", "ops@example.com", "--org", "acme", "--expires-in", "1h"])
                as! KeysCommand.Create).execute(store: store, output: keyLines)
            let token = try #require(keyLines.all.last)
            let parsed = try #require(APIKeyToken.parse(token), "the last line is the token alone")
            let credential = try #require(try await store.credential(lookupHash: store.vault.lookupHash(of: token)))
            #expect(credential.scopes == .all, "command-line keys default to every scope")
            #expect(credential.restrictedOrgID == 1)

            let changed = Lines()
            try await (try UnpodCommand.parseAsRoot(["users", "set-password", "--email", "ops@example.com"])
                as! UsersCommand.SetPassword).execute(store: store, password: "a brand new password", output: changed)
            #expect(changed.all == ["changed the password of ops@example.com"])
            #expect(try await store.verifyPassword(email: "ops@example.com", password: "a brand new password") != nil)
            #expect(try await store.verifyPassword(email: "ops@example.com", password: password) == nil)

            let numberLines = Lines()
            try await (try UnpodCommand.parseAsRoot(["numbers", "add", "--org", "acme", "--provider", "twilio", "+14155550101", "+14155550102"])
                as! NumbersCommand.Add).execute(store: store, output: numberLines)
            #expect(numberLines.all.count == 3 && numberLines.all[1].contains("+14155550101") && numberLines.all[1].contains("NOT_ASSIGNED"))
            #expect(throws: (any Error).self) { try UnpodCommand.parseAsRoot(["numbers", "add", "--org", "acme", "--provider", "twilio", "555"]) }
            await #expect(throws: CommandError.self) {
                try await (try UnpodCommand.parseAsRoot(["numbers", "add", "--org", "acme", "--provider", "twilio", "+14155550103", "+14155550101"])
                    as! NumbersCommand.Add).execute(store: store, output: Lines())
            }
            let listedNumbers = Lines()
            try await (try UnpodCommand.parseAsRoot(["numbers", "list", "--org", "acme", "--json"]) as! NumbersCommand.List)
                .execute(store: store, output: listedNumbers)
            let decoded = try JSONDecoder.unpod().decode([Components.Schemas.Number].self, from: Data(listedNumbers.all.joined().utf8))
            #expect(decoded.map(\.number) == ["+14155550101", "+14155550102"], "nothing of the failed add was kept")
            try await (try UnpodCommand.parseAsRoot(["numbers", "release", "--org", "acme", "+14155550102"]) as! NumbersCommand.Release)
                .execute(store: store, output: Lines())
            #expect(try await store.numbers(orgID: 1, page: 1, pageSize: 10).items.map(\.number) == ["+14155550101"])

            let audit = Lines()
            try await (try UnpodCommand.parseAsRoot(["audit", "list", "--org", "acme"]) as! AuditCommand.List)
                .execute(store: store, output: audit)
            #expect(audit.all.contains { $0.contains("organization.created") && $0.contains("cli") })
            #expect(audit.all.contains { $0.contains("api_key.created") && $0.contains(parsed.keyID) })
            #expect(audit.all.last == "5 of 5 events", "created, its key, two numbers added (the refused add left none), one released")
            #expect(!audit.all.joined().contains(token))

            let listed = Lines()
            try await (try UnpodCommand.parseAsRoot(["keys", "list", "--email", "ops@example.com"]) as! KeysCommand.List)
                .execute(store: store, output: listed)
            #expect(listed.all.count == 2 && listed.all[1].hasPrefix(parsed.keyID))
            #expect(!listed.all.joined().contains(parsed.secret))

            let rotated = Lines()
            try await (try UnpodCommand.parseAsRoot(["keys", "rotate", parsed.keyID, "--grace", "1h"]) as! KeysCommand.Rotate)
                .execute(store: store, output: rotated)
            let newLine = try #require(rotated.all.last)
            let newToken = try #require(APIKeyToken.parse(newLine))

            try await (try UnpodCommand.parseAsRoot(["keys", "revoke", newToken.keyID]) as! KeysCommand.Revoke)
                .execute(store: store, output: Lines())
            #expect(try await store.credential(lookupHash: store.vault.lookupHash(of: newToken.text)) == nil)

            await #expect(throws: (any Error).self) {
                try await (try UnpodCommand.parseAsRoot(["keys", "create", "--email", "nobody@example.com"]) as! KeysCommand.Create)
                    .execute(store: store, output: Lines())
            }
            await #expect(throws: (any Error).self) {
                try await (try UnpodCommand.parseAsRoot(["keys", "create", "--email", "ops@example.com", "--org", "other"])
                    as! KeysCommand.Create).execute(store: store, output: Lines())
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func membersAndDeactivation(_ engine: TestDatabase) async throws {
        try await withTestStore(engine) { store, _ in
            let owner = try await Fixture.make(store)
            let member = try await store.createUser(email: "m@example.com", password: "long enough")
            let output = Lines()
            try await (try UnpodCommand.parseAsRoot(["orgs", "add-member", "--handle", "acme", "--email", "m@example.com", "--role", "admin"])
                as! OrgsCommand.AddMember).execute(store: store, output: output)
            #expect(output.all == ["m@example.com is admin of acme"])
            #expect(try await store.memberships(userID: member.id).map(\.role) == [.admin])
            #expect(throws: (any Error).self) {
                try UnpodCommand.parseAsRoot(["orgs", "add-member", "--handle", "acme", "--email", "x", "--role", "boss"])
            }

            _ = try UnpodCommand.parseAsRoot(["users", "deactivate", "--email", "owner@example.com"]) as! UsersCommand.Deactivate
            try await UsersCommand.setActive(false, email: "owner@example.com", store: store, output: output)
            let credential = try await store.credential(lookupHash: store.vault.lookupHash(of: owner.token))
            #expect(credential?.userActive == false)
            try await UsersCommand.setActive(true, email: "owner@example.com", store: store, output: output)
            #expect(try await store.credential(lookupHash: store.vault.lookupHash(of: owner.token))?.userActive == true)
            await #expect(throws: CommandError.self) {
                try await UsersCommand.setActive(false, email: "nobody@example.com", store: store, output: output)
            }
        }
    }

    /// The benchmark's seed: what `demo bridges` and `demo call-logs` add is what the API lists.
    @Test(arguments: TestDatabase.all)
    func demoDataMatchesThePeersSeed(_ engine: TestDatabase) async throws {
        try await withTestStore(engine) { store, _ in
            let owner = try await Fixture.make(store)
            let output = Lines()
            try await (try UnpodCommand.parseAsRoot(["demo", "bridges", "--org", "acme", "--count", "6", "--numbers-per-bridge", "2"])
                as! DemoCommand.Bridges).execute(store: store, output: output)
            try await (try UnpodCommand.parseAsRoot(["demo", "call-logs", "--org", "acme", "--count", "30"])
                as! DemoCommand.CallLogs).execute(store: store, output: output)
            #expect(output.all == ["added 6 bridges with 12 numbers to acme", "added 30 call logs to acme"])
            let bridges = try await store.bridges(orgID: owner.organization.id, page: 1, pageSize: 20)
            #expect(bridges.count == 6 && bridges.items.map(\.name) == (1...6).map { "Bridge \($0)" })
            #expect(bridges.items.allSatisfy { $0.numbers.count == 2 && $0.numbers.allSatisfy { PhoneNumber.isE164($0.number) } })
            #expect(bridges.items.map { $0.provider != nil } == [true, true, false, true, true, false])
            #expect(bridges.items.map(\.status) == [.ACTIVE, .ACTIVE, .DRAFT, .ACTIVE, .ACTIVE, .DRAFT])
            #expect(Set(bridges.items.flatMap { $0.numbers.map(\.number) }).count == 12)
            // A page of the list carries each bridge's own numbers, as one bridge read does.
            let second = try await store.bridges(orgID: owner.organization.id, page: 2, pageSize: 4)
            #expect(second.count == 6 && second.items.map(\.name) == ["Bridge 5", "Bridge 6"])
            for bridge in second.items { #expect(try await store.bridge(bridge.slug, orgID: owner.organization.id) == bridge) }
            #expect(try await store.callLogs(orgID: owner.organization.id, filter: .init(), page: 1, pageSize: 20).count == 30)
            await #expect(throws: CommandError.self) {
                try await (try UnpodCommand.parseAsRoot(["demo", "bridges", "--org", "nobody"]) as! DemoCommand.Bridges)
                    .execute(store: store, output: output)
            }
        }
    }

    /// `unpod keys create --json` gives the LiveKit API key and secret; `unpod token` signs with
    /// them offline and `unpod token verify` reads the token back.
    @Test(arguments: TestDatabase.all)
    func accessTokensOfflineFromAKeysJSON(_ engine: TestDatabase) async throws {
        try await withTestStore(engine) { store, _ in
            _ = try await Fixture.make(store)
            let keyLines = Lines()
            try await (try UnpodCommand.parseAsRoot(["keys", "create", "--email", "owner@example.com", "--json"]) as! KeysCommand.Create)
                .execute(store: store, output: keyLines)
            let printed = try #require(keyLines.all.last)
            let pair = try #require(try JSONSerialization.jsonObject(with: Data(printed.utf8)) as? [String: String])
            #expect(keyLines.all.count == 1 && Set(pair.keys) == ["key_id", "token"])
            let keyID = try #require(pair["key_id"]), secret = try #require(pair["token"])
            #expect(APIKeyToken.parse(secret)?.keyID == keyID)

            let mint = try #require(
                try UnpodCommand.parseAsRoot([
                    "token", "--key-id", keyID, "--room", "support", "--identity", "agent-1", "--ttl", "10m",
                    "--grant", "roomAdmin", "--grant", "canPublish=false",
                ]) as? TokenCommand.Mint)
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let minted = Lines()
            try await mint.execute(secret: secret, now: now, output: minted)
            let token = try #require(minted.all.last)
            let claims = try AccessTokenVerifier(keyID: keyID, secret: secret).verify(token, now: now)
            #expect(claims.sub == "agent-1" && claims.exp == 1_800_000_600 && claims.video?.room == "support")
            #expect(claims.video?.roomJoin == true && claims.video?.roomAdmin == true && claims.video?.canPublish == false)

            let verify = try #require(try UnpodCommand.parseAsRoot(["token", "verify", "--key-id", keyID, token]) as? TokenCommand.Verify)
            let read = Lines()
            try verify.execute(secret: secret, now: now, output: read)
            #expect(read.all.first?.contains(#""sub":"agent-1""#) == true)
            #expect(throws: CommandError.self) { try verify.execute(secret: secret + "x", now: now, output: read) }
            #expect(throws: CommandError.self) { try verify.execute(secret: secret, now: now.addingTimeInterval(700), output: read) }

            // The secret from the environment, else standard input.
            let options = try TokenCommand.SecretOptions.parse(["--key-id", keyID])
            #expect(try options.resolve(environment: ["UNPOD_API_SECRET": secret], readLine: { nil }) == secret)
            #expect(try options.resolve(environment: [:], readLine: { secret + "\n" }) == secret)
            #expect(throws: CommandError.self) { try options.resolve(environment: [:], readLine: { nil }) }
            #expect(throws: (any Error).self) { try UnpodCommand.parseAsRoot(["token", "--key-id", keyID, "--room", "r", "--identity", "i", "--grant", "fly"]) }
            // A bare "=" is a usage error, not a trap.
            #expect(throws: (any Error).self) { try UnpodCommand.parseAsRoot(["token", "--key-id", keyID, "--room", "r", "--identity", "i", "--grant", "="]) }
        }
    }
}
