import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import UnpodCore
import UnpodPersistence
import UnpodServer
import UnpodTestSupport

/// The API Keys page (issue 8, item 2): generate, use, rotate and delete keys as the seed page
/// tells users to, with the API's rules; over a real socket, on SQLite and PostgreSQL.
@Suite struct DashboardKeyTests {
    @Test(arguments: TestDatabase.all)
    func aGeneratedKeyWorksOnTheAPIUntilItIsDeletedAndIsShownOnlyOnce(engine: TestDatabase) async throws {
        try await withServer(engine, seed: { try await Fixture.make($0) }, Self.generateUseDelete)
    }

    static func generateUseDelete(_ server: TestServer, _ owner: Fixture) async throws {
        var browser = Browser(server.client)
        _ = try await browser.signIn(owner.user.email, DashboardSessionTests.password)
        let page = try await browser.get("/dashboard/api-keys?org=acme")
        #expect(page.status == .ok && page.text.contains("Generate New API Key"))

        let generated = try await browser.submit(
            page: "/dashboard/api-keys?org=acme", action: "/dashboard/api-keys",
            [("name", "<b>laptop</b>"), ("scope", "read"), ("scope", "write"), ("restrict_org", "acme"), ("expires", "30d")])
        #expect(generated.status == .ok)
        #expect(generated.text.contains("It will not be shown again."))
        let token = try #require(Browser.element("new-token", in: generated.text))
        let keyID = try #require(APIKeyToken.parse(token)?.keyID)
        #expect(generated.text.contains("&lt;b&gt;laptop&lt;/b&gt;") && !generated.text.contains("<b>laptop</b>"), "names are escaped")

        let call = try await server.get(Paths.organizations, token: token, orgHandle: "acme")
        #expect(call.status == .ok)
        let stored = try #require(try await server.store.apiKey(keyID, of: .user(owner.user.id)))
        #expect(stored.scopes == [.read, .write] && stored.orgHandle == "acme" && stored.expiresAt != nil)

        // Shown once: the page never shows the token again, only its key id.
        let later = try await browser.get("/dashboard/api-keys?org=acme")
        #expect(later.text.contains(keyID) && !later.text.contains(token))

        let deleted = try await browser.submit(page: "/dashboard/api-keys?org=acme", action: "/dashboard/api-keys/\(keyID)/delete", [])
        #expect(deleted.status == .seeOther)
        let notice = try await browser.get(try #require(deleted.headers[.location]))
        #expect(notice.text.contains("The key was deleted."))
        expectError(try await server.get(Paths.organizations, token: token), .invalidToken)

        // A deleted key is replaced by generating a new one.
        let replacement = try await browser.submit(
            page: "/dashboard/api-keys", action: "/dashboard/api-keys",
            [("name", "replacement"), ("scope", "read"), ("restrict_org", ""), ("expires", "never")])
        let newToken = try #require(Browser.element("new-token", in: replacement.text))
        #expect((try await server.get(Paths.organizations, token: newToken)).status == .ok)

        let events = try await server.store.auditEvents(AuditFilter(userID: owner.user.id), page: 1, pageSize: 50).items
        let created = try #require(events.first { $0.action == "api_key.created" && $0.target.id == keyID })
        #expect(created.actor.type == "dashboard" && created.actor.email == owner.user.email)
        #expect(events.contains { $0.action == "api_key.revoked" && $0.target.id == keyID })
        #expect(!server.logs.text.contains(token) && !server.logs.text.contains(newToken))
    }

    @Test(arguments: TestDatabase.all)
    func rotatingKeepsTheOldKeyForItsGraceAndTheNewOneWorks(engine: TestDatabase) async throws {
        try await withServer(engine, seed: { try await Fixture.make($0) }, Self.rotate)
    }

    static func rotate(_ server: TestServer, _ owner: Fixture) async throws {
        var browser = Browser(server.client)
        _ = try await browser.signIn(owner.user.email, DashboardSessionTests.password)
        let rotated = try await browser.submit(
            page: "/dashboard/api-keys", action: "/dashboard/api-keys/\(owner.key.keyId)/rotate", [("grace", "3600")])
        #expect(rotated.status == .ok)
        let newToken = try #require(Browser.element("new-token", in: rotated.text))
        #expect(rotated.text.contains("keeps working until"))
        #expect(rotated.text.contains("in grace until"))
        #expect((try await server.get(Paths.organizations, token: newToken)).status == .ok)
        #expect((try await server.get(Paths.organizations, token: owner.token)).status == .ok)
        server.clock.advance(by: 3601)
        expectError(try await server.get(Paths.organizations, token: owner.token), .tokenExpired)
        #expect((try await server.get(Paths.organizations, token: newToken)).status == .ok)
    }

    @Test(arguments: TestDatabase.all)
    func keysFollowTheAPIRulesAndStayTheirOwners(engine: TestDatabase) async throws {
        try await withServer(
            engine,
            seed: { store in
                let owner = try await Fixture.make(store)
                let outsider = try await Fixture.make(store, email: "outsider@example.com", handle: "other")
                return (owner, outsider)
            }, Self.rules)
    }

    static func rules(_ server: TestServer, _ seed: (Fixture, Fixture)) async throws {
        let (owner, outsider) = seed
        var browser = Browser(server.client)
        _ = try await browser.signIn(owner.user.email, DashboardSessionTests.password)
        // Not a member of `other`: no key restricted to it.
        let foreign = try await browser.submit(
            page: "/dashboard/api-keys", action: "/dashboard/api-keys",
            [("name", "x"), ("scope", "read"), ("restrict_org", "other"), ("expires", "never")])
        #expect(foreign.status == .badRequest)
        let noScope = try await browser.submit(
            page: "/dashboard/api-keys", action: "/dashboard/api-keys", [("name", "x"), ("restrict_org", ""), ("expires", "never")])
        #expect(noScope.status == .badRequest && noScope.text.contains("scopes must name at least one scope"))
        let badScope = try await browser.submit(
            page: "/dashboard/api-keys", action: "/dashboard/api-keys", [("name", "x"), ("scope", "root"), ("expires", "never")])
        #expect(badScope.status == .badRequest)
        #expect(try await server.store.apiKeys(of: .user(owner.user.id)).count == 1)

        // Another user's key is not on this page and cannot be deleted or rotated from it.
        let page = try await browser.get("/dashboard/api-keys")
        #expect(!page.text.contains(outsider.key.keyId))
        let csrf = try #require(Browser.input("csrf", in: page.text))
        let delete = try await browser.post("/dashboard/api-keys/\(outsider.key.keyId)/delete", [("csrf", csrf)])
        #expect(delete.status == .notFound)
        let rotate = try await browser.post("/dashboard/api-keys/\(outsider.key.keyId)/rotate", [("csrf", csrf), ("grace", "0")])
        #expect(rotate.status == .notFound)
        #expect((try await server.get(Paths.organizations, token: outsider.token)).status == .ok)
        // Nor another organization's pages.
        #expect((try await browser.get("/dashboard/settings?org=other")).status == .forbidden)
    }
}
