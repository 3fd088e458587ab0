import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import UnpodCore
import UnpodPersistence
import UnpodServer
import UnpodTestSupport

/// Organization settings, the security log and the read-only lists (issue 8, items 1, 3 and 4),
/// over a real socket, on SQLite and PostgreSQL.
@Suite struct DashboardSettingsTests {
    @Test(arguments: TestDatabase.all)
    func ownersManageMembersAndMembersCannot(engine: TestDatabase) async throws {
        try await withServer(
            engine,
            seed: { store in
                let owner = try await Fixture.make(store)
                let member = try await store.createUser(email: "member@example.com", password: DashboardSessionTests.password)
                return (owner, member)
            }, Self.members)
    }

    static func members(_ server: TestServer, _ seed: (Fixture, User)) async throws {
        let (owner, member) = seed
        var browser = Browser(server.client)
        _ = try await browser.signIn(owner.user.email, DashboardSessionTests.password)
        let settings = try await browser.get("/dashboard/settings?org=acme")
        #expect(settings.status == .ok)
        #expect(Browser.element("org-handle", in: settings.text) == "acme")
        #expect(settings.text.contains("Copy Org Handle"))

        let added = try await browser.submit(
            page: "/dashboard/settings?org=acme", action: "/dashboard/settings/members",
            [("email", member.email), ("role", "member")])
        #expect(added.status == .seeOther)
        #expect((try await browser.get("/dashboard/settings?org=acme")).text.contains(member.email))
        let unknown = try await browser.submit(
            page: "/dashboard/settings?org=acme", action: "/dashboard/settings/members", [("email", "ghost@example.com"), ("role", "member")])
        #expect(unknown.status == .badRequest)
        // The last owner stays: demoting yourself is refused, and nothing changes.
        let demote = try await browser.submit(
            page: "/dashboard/settings?org=acme", action: "/dashboard/settings/members/\(owner.user.id)/role", [("role", "member")])
        #expect(demote.status == .badRequest && demote.text.contains("at least one owner"))
        #expect(try await server.store.members(orgID: owner.organization.id).first { $0.userID == owner.user.id }?.role == .owner)

        // The member signs in: sees the handle and the members, manages nothing, not even by posting forms by hand.
        var memberBrowser = Browser(server.client)
        #expect((try await memberBrowser.signIn(member.email, DashboardSessionTests.password)).status == .seeOther)
        let seen = try await memberBrowser.get("/dashboard/settings?org=acme")
        #expect(Browser.element("org-handle", in: seen.text) == "acme" && seen.text.contains(owner.user.email))
        #expect(!seen.text.contains("/dashboard/settings/members/"), "no role or remove forms")
        #expect(!seen.text.contains("Add a member"))
        let csrf = try #require(Browser.input("csrf", in: seen.text))
        let attempts = [
            ("/dashboard/settings/members", [("email", "outsider@example.com"), ("role", "member")]),
            ("/dashboard/settings/members/\(member.id)/role", [("role", "owner")]),
            ("/dashboard/settings/members/\(owner.user.id)/remove", []),
        ]
        for (action, fields) in attempts {
            let refused = try await memberBrowser.post(action, [("csrf", csrf), ("org", "acme")] + fields)
            #expect(refused.status == .forbidden, "\(action)")
        }
        #expect(try await server.store.members(orgID: owner.organization.id).map(\.role).sorted() == [.member, .owner])
        // Nor another user's keys.
        let keys = try await memberBrowser.get("/dashboard/api-keys")
        #expect(!keys.text.contains(owner.key.keyId))
        let delete = try await memberBrowser.post("/dashboard/api-keys/\(owner.key.keyId)/delete", [("csrf", csrf)])
        #expect(delete.status == .notFound)
        #expect((try await server.get(Paths.organizations, token: owner.token)).status == .ok)
        // Nor the organization's security log (only their own).
        #expect((try await memberBrowser.get("/dashboard/security-log?org=acme&scope=organization")).status == .forbidden)
        let own = try await memberBrowser.get("/dashboard/security-log?org=acme")
        #expect(own.status == .ok && own.text.contains("<td>user.signed_in</td>") && !own.text.contains("<td>organization.created</td>"))

        // The owner promotes, then removes the member; both in the organization's security log.
        let promoted = try await browser.submit(
            page: "/dashboard/settings?org=acme", action: "/dashboard/settings/members/\(member.id)/role", [("role", "admin")])
        #expect(promoted.status == .seeOther)
        let removed = try await browser.submit(
            page: "/dashboard/settings?org=acme", action: "/dashboard/settings/members/\(member.id)/remove", [])
        #expect(removed.status == .seeOther)
        #expect((try await memberBrowser.get("/dashboard/settings?org=acme")).status == .forbidden)
        let log = try await browser.get("/dashboard/security-log?org=acme&scope=organization&action=membership.role_changed")
        #expect(log.status == .ok && log.text.contains("<td>membership.role_changed</td>") && !log.text.contains("<td>membership.removed</td>"))
        let all = try await browser.get("/dashboard/security-log?org=acme")
        #expect(all.text.contains("<td>membership.added</td>") && all.text.contains("<td>membership.removed</td>"))
    }

    @Test(arguments: TestDatabase.all)
    func listsShowTheOrganizationsDataWithTheAPIsFiltersAndPages(engine: TestDatabase) async throws {
        try await withServer(engine, seed: { try await Fixture.make($0) }, Self.lists)
    }

    static func lists(_ server: TestServer, _ owner: Fixture) async throws {
        for index in 0..<25 {
            let body = """
                {"call_id": "call-\(index)", "source_number": "+14155550100", "destination_number": "+14155550199",
                 "call_type": "\(index % 5 == 0 ? "outbound" : "inbound")", "call_status": "\(index % 5 == 0 ? "missed" : "completed")"}
                """
            let reported = try await server.request(.post, Paths.callLogs, authorization: "Token \(owner.token)", orgHandle: "acme", json: body)
            #expect(reported.status == .created)
        }
        var browser = Browser(server.client)
        _ = try await browser.signIn(owner.user.email, DashboardSessionTests.password)
        let first = try await browser.get("/dashboard/call-logs?org=acme")
        #expect(first.status == .ok && first.text.contains("1–20 of 25") && first.text.contains(#"rel="next""#))
        let second = try await browser.get("/dashboard/call-logs?org=acme&page=2")
        #expect(second.text.contains("21–25 of 25") && !second.text.contains(#"rel="next""#))
        let missed = try await browser.get("/dashboard/call-logs?org=acme&call_status=missed&call_type=")
        #expect(missed.text.contains("1–5 of 5") && missed.text.contains("call-20") && !missed.text.contains("call-21"))
        let bad = try await browser.get("/dashboard/call-logs?org=acme&call_status=lost")
        #expect(bad.status == .badRequest && bad.text.contains("call_status must be completed, missed or failed"))
        for page in ["bridges", "numbers", "trunks", "hub", "password"] {
            let answer = try await browser.get("/dashboard/\(page)?org=acme")
            #expect(answer.status == .ok, "\(page)")
            #expect(answer.text.contains(#"id="nav-\#(page)" href="/dashboard/\#(page)?org=acme" title"#), "\(page) is in the sidebar")
            #expect(answer.text.contains(#"class="active" aria-current="page""#), "\(page) is marked active")
        }
        #expect((try await browser.get("/dashboard/numbers?org=acme&include_assigned=maybe")).status == .badRequest)
        let css = try await browser.get("/dashboard/assets/app.css")
        #expect(css.status == .ok && css.headers[.contentType]?.hasPrefix("text/css") == true)
        #expect((try await browser.get("/dashboard/assets/app.js")).status == .ok)
        // Signed out, the lists send the visitor to sign in.
        var stranger = Browser(server.client)
        let away = try await stranger.get("/dashboard/call-logs?org=acme")
        #expect(away.status == .seeOther && away.headers[.location] == "/dashboard/sign-in")
    }
}
