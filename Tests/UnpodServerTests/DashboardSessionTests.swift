import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import UnpodCore
import UnpodPersistence
import UnpodServer
import UnpodTestSupport

/// Dashboard sign-in, sessions and their protections (issue 8, item 5), over a real socket with a
/// cookie jar, on SQLite and PostgreSQL.
@Suite struct DashboardSessionTests {
    static let password = "correct horse battery"

    @Test(arguments: TestDatabase.all)
    func signInRefusesWithoutTellingWhichEmailsExistAndSignOutEndsTheSession(engine: TestDatabase) async throws {
        try await withServer(engine, seed: { try await Fixture.make($0) }, Self.signInAndOut)
    }

    static func signInAndOut(_ server: TestServer, _ owner: Fixture) async throws {
        var browser = Browser(server.client)
        let start = try await browser.get("/dashboard/")
        #expect(start.status == .seeOther && start.headers[.location] == "/dashboard/sign-in")
        let root = try await browser.get("/")
        #expect(root.status == .seeOther && root.headers[.location] == "/dashboard/")

        let wrong = try await browser.signIn(owner.user.email, "not the password")
        let unknown = try await browser.signIn("nobody@example.com", "not the password")
        for refused in [wrong, unknown] {
            #expect(refused.status == .unauthorized)
            #expect(refused.text.contains("Wrong email or password."))
            #expect(refused.headers[.setCookie]?.contains("unpod_session") != true)
        }
        #expect(browser.cookies["unpod_session"] == nil)

        let signedIn = try await browser.signIn(owner.user.email.uppercased(), password)
        #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/dashboard/hub")
        let cookie = try #require(browser.setCookieHeaders.first { $0.hasPrefix("unpod_session=") })
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/dashboard"))
        #expect(!cookie.contains("Secure"), "a plain-HTTP server without an https public URL")

        let hub = try await browser.get("/dashboard/hub")
        #expect(hub.status == .ok)
        #expect(hub.text.contains("<code>acme</code>") && hub.text.contains(owner.user.email))
        #expect(hub.text.contains(#"id="nav-api-keys""#), "the key icon in the sidebar")
        let policy = try #require(hub.headers[.contentSecurityPolicy])
        #expect(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"))
        #expect(!hub.text.contains("<script>"), "no inline script")
        #expect(hub.headers[.cacheControl] == "no-store")

        // A copy of the cookie taken before sign-out is dead afterwards: the session is gone from the database.
        var stolen = Browser(server.client)
        stolen.cookies = browser.cookies
        let signOut = try await browser.submit(page: "/dashboard/hub", action: "/dashboard/sign-out", [])
        #expect(signOut.status == .seeOther)
        #expect(browser.cookies["unpod_session"] == nil)
        for var visitor in [browser, stolen] {
            let after = try await visitor.get("/dashboard/hub")
            #expect(after.status == .seeOther && after.headers[.location] == "/dashboard/sign-in")
        }

        let events = try await server.store.auditEvents(AuditFilter(userID: owner.user.id), page: 1, pageSize: 50).items
        #expect(events.contains { $0.action == "user.signed_in" && $0.actor.type == "dashboard" })
        #expect(events.contains { $0.action == "user.signed_out" })
        #expect(!server.logs.text.contains(password))
    }

    @Test(arguments: TestDatabase.all)
    func formsWithoutTheirCSRFTokenAreRefused(engine: TestDatabase) async throws {
        try await withServer(engine, seed: { try await Fixture.make($0) }, Self.csrf)
    }

    static func csrf(_ server: TestServer, _ owner: Fixture) async throws {
        var browser = Browser(server.client)
        // The sign-in form's own token must match its cookie.
        let forged = try await browser.post(
            "/dashboard/sign-in", [("csrf", "made-up"), ("email", owner.user.email), ("password", password)])
        #expect(forged.status == .forbidden)
        #expect(browser.cookies["unpod_session"] == nil)

        _ = try await browser.signIn(owner.user.email, password)
        let before = try await server.store.apiKeys(of: .user(owner.user.id)).count
        let fields = [("name", "sneaky"), ("scope", "read"), ("restrict_org", ""), ("expires", "never")]
        let missing = try await browser.post("/dashboard/api-keys", fields)
        let wrong = try await browser.post("/dashboard/api-keys", fields + [("csrf", "0000")])
        for refused in [missing, wrong] {
            #expect(refused.status == .forbidden)
            #expect(refused.headers[.contentType]?.hasPrefix("text/html") == true)
        }
        let deleteWithout = try await browser.post("/dashboard/api-keys/\(owner.key.keyId)/delete", [])
        #expect(deleteWithout.status == .forbidden)
        #expect(try await server.store.apiKeys(of: .user(owner.user.id)).count == before)
        #expect((try await server.get(Paths.organizations, token: owner.token)).status == .ok)
        let signOutWithout = try await browser.post("/dashboard/sign-out", [])
        #expect(signOutWithout.status == .forbidden)
        #expect((try await browser.get("/dashboard/hub")).status == .ok)
    }

    @Test(arguments: TestDatabase.all)
    func signInIsLimitedPerAccountAndPerAddress(engine: TestDatabase) async throws {
        try await withServer(
            engine, configure: { $0.signInAccountLimit = "3/h"; $0.signInAddressLimit = "5/h" },
            seed: { store in
                (try await Fixture.make(store), try await store.createUser(email: "second@example.com", password: Self.password))
            }, Self.limits)
    }

    static func limits(_ server: TestServer, _ seed: (Fixture, User)) async throws {
        let (owner, second) = seed
        var browser = Browser(server.client)
        for _ in 0..<3 { #expect((try await browser.signIn(owner.user.email, "wrong")).status == .unauthorized) }
        // The account has used its failures: even the right password waits, with the same answer for an unknown email.
        let held = try await browser.signIn(owner.user.email, password)
        #expect(held.status == .tooManyRequests)
        #expect(held.text.contains("Too many sign-in attempts"))
        let wait = try #require(held.headers[.retryAfter].flatMap { Int($0) })
        #expect(wait > 3000 && wait <= 3600)
        // Another account from the same address still signs in while the address is under its limit…
        var other = Browser(server.client)
        #expect((try await other.signIn(second.email, password)).status == .seeOther)
        // …and not once the address has used its 5 failures, whichever accounts they were on.
        for _ in 0..<2 { #expect((try await browser.signIn("ghost@example.com", "wrong")).status == .unauthorized) }
        var third = Browser(server.client)
        let addressHeld = try await third.signIn(second.email, password)
        #expect(addressHeld.status == .tooManyRequests && addressHeld.text.contains("Too many sign-in attempts"))

        // An hour later both windows are over.
        server.clock.advance(by: 3601)
        #expect((try await third.signIn(owner.user.email, password)).status == .seeOther)
    }

    /// Two nodes on one database spend one budget (issue 18): failures on either count on both.
    @Test(arguments: TestDatabase.all)
    func signInLimitsAreSharedByTheNodes(engine: TestDatabase) async throws {
        try await withServer(engine, configure: { $0.signInAccountLimit = "4/h" }, seed: { try await Fixture.make($0) }, Self.sharedLimits)
    }

    static func sharedLimits(_ server: TestServer, _ owner: Fixture) async throws {
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0, clock: server.clock)
        configuration.signInAccountLimit = "4/h"
        let node2 = try await buildApplication(configuration: configuration, store: server.store)
        try await node2.test(.live) { client2 in
            var one = Browser(server.client)
            var two = Browser(client2)
            for _ in 0..<2 {
                let first = try await one.signIn(owner.user.email, "wrong")
                let second = try await two.signIn(owner.user.email, "wrong")
                #expect(first.status == .unauthorized && second.status == .unauthorized)
            }
            // Four failures in all, two on each node: both nodes now hold the account.
            let heldOne = try await one.signIn(owner.user.email, password)
            let heldTwo = try await two.signIn(owner.user.email, password)
            #expect(heldOne.status == .tooManyRequests && heldTwo.status == .tooManyRequests)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aSessionIsSharedByNodesAndEndsOnAllOfThemAndAPasswordChangeEndsTheOthers(engine: TestDatabase) async throws {
        try await withServer(engine, seed: { try await Fixture.make($0) }, Self.nodes)
    }

    static func nodes(_ server: TestServer, _ owner: Fixture) async throws {
        // A second node on the same database, as `unpod serve` would run it.
        let node2 = try await buildApplication(
            configuration: ServerConfiguration(host: "127.0.0.1", port: 0, clock: server.clock), store: server.store)
        try await node2.test(.live) { client2 in
            var one = Browser(server.client)
            #expect((try await one.signIn(owner.user.email, password)).status == .seeOther)
            var two = Browser(client2)
            two.cookies = one.cookies
            #expect((try await two.get("/dashboard/settings")).status == .ok)
            var laptop = Browser(client2)
            #expect((try await laptop.signIn(owner.user.email, password)).status == .seeOther)

            // A wrong current password changes nothing.
            let wrong = try await one.submit(
                page: "/dashboard/password", action: "/dashboard/password",
                [("current_password", "nope"), ("new_password", "a new password 1"), ("confirm_password", "a new password 1")])
            #expect(wrong.status == .badRequest && wrong.text.contains("The current password is wrong."))
            let changed = try await one.submit(
                page: "/dashboard/password", action: "/dashboard/password",
                [("current_password", password), ("new_password", "a new password 1"), ("confirm_password", "a new password 1")])
            #expect(changed.status == .seeOther)
            #expect((try await one.get("/dashboard/hub")).status == .ok, "the session that changed it stays")
            #expect((try await laptop.get("/dashboard/hub")).status == .seeOther, "the other session is ended")

            // Signing out on node 2 ends the session that node 1 also served.
            two.cookies = one.cookies
            #expect((try await two.submit(page: "/dashboard/hub", action: "/dashboard/sign-out", [])).status == .seeOther)
            #expect((try await one.get("/dashboard/hub")).status == .seeOther)
            var fresh = Browser(server.client)
            #expect((try await fresh.signIn(owner.user.email, password)).status == .unauthorized)
            #expect((try await fresh.signIn(owner.user.email, "a new password 1")).status == .seeOther)
        }
    }

    /// Behind a TLS-terminating proxy the operator named, `X-Forwarded-Proto: https` makes the
    /// cookie `Secure`; from anyone else the header is ignored (a client could write it).
    @Test(arguments: [
        ([String](), "https", false), (["127.0.0.1"], "https", true), (["127.0.0.1"], "http", false),
        (["127.0.0.1"], "HTTPS, http", true), (["10.0.0.0/8"], "https", false),
    ])
    func cookiesAreSecureBehindATrustedTLSProxy(_ proxies: [String], _ proto: String, _ secure: Bool) async throws {
        try await withServer(.sqlite, configure: { $0.trustedProxies = proxies }, seed: { try await Fixture.make($0) }) {
            server, owner in
            var browser = Browser(server.client)
            browser.headers[HTTPField.Name("X-Forwarded-Proto")!] = proto
            #expect((try await browser.signIn(owner.user.email, Self.password)).status == .seeOther)
            let cookie = try #require(browser.setCookieHeaders.first { $0.hasPrefix("unpod_session=") })
            #expect(cookie.contains("; Secure") == secure, "proxies \(proxies), X-Forwarded-Proto \(proto): \(cookie)")
        }
    }

    @Test func cookiesAreSecureWhenThePublicURLIsHTTPS() async throws {
        try await withServer(.sqlite, configure: { $0.publicURL = "https://voice.example.com" }, seed: { try await Fixture.make($0) }) {
            server, owner in
            var browser = Browser(server.client)
            #expect((try await browser.signIn(owner.user.email, Self.password)).status == .seeOther)
            let cookie = try #require(browser.setCookieHeaders.first { $0.hasPrefix("unpod_session=") })
            #expect(cookie.contains("; Secure"))
        }
    }
}
