import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import UnpodCore
import UnpodPersistence
import UnpodServer
import UnpodTestSupport

/// The dashboard's spaces, agents, runs, analytics and invoices (issue 9, items 1 and 7), over a
/// real socket with a cookie jar, on SQLite and PostgreSQL.
@Suite struct DashboardWorkspaceTests {
    @Test(arguments: TestDatabase.all)
    func ownersManageSpacesAndAgentsAndEveryoneSeesRunsAnalyticsAndInvoices(engine: TestDatabase) async throws {
        try await withServer(
            engine,
            seed: { store in
                let owner = try await Fixture.make(store)
                let member = try await store.createUser(email: "member@example.com", password: DashboardSessionTests.password)
                try await store.setMembership(userID: member.id, orgID: owner.organization.id, role: .member)
                return (owner, member)
            }, Self.scenario)
    }

    static func scenario(_ server: TestServer, _ seed: (Fixture, User)) async throws {
        let (owner, member) = seed
        var browser = Browser(server.client)
        _ = try await browser.signIn(owner.user.email, DashboardSessionTests.password)
        let agent = try await browser.submit(
            page: "/dashboard/agents?org=acme", action: "/dashboard/agents",
            [("handle", "dash-bot"), ("name", "Dash"), ("type", "Voice"), ("purpose", "Demo"), ("publish", "on")])
        #expect(agent.status == .seeOther)
        #expect(try await server.store.agent(handle: "dash-bot")?.agent.state == .published)
        let created = try await browser.submit(
            page: "/dashboard/spaces?org=acme", action: "/dashboard/spaces", [("name", "Dash leads"), ("agent", "dash-bot")])
        #expect(created.status == .seeOther)
        let spaces = try await server.store.spaces(orgID: owner.organization.id, page: 1, pageSize: 10).items
        let space = try #require(spaces.first { $0.name == "Dash leads" })
        #expect(space.agentHandle == "dash-bot" && space.contentType == "contact")
        #expect((try await browser.get("/dashboard/spaces?org=acme")).text.contains(space.token))
        // Editing: the form shows the space's agent selected, and a rename keeps it.
        #expect((try await browser.get("/dashboard/spaces?org=acme")).text.contains(#"<option value="dash-bot" selected>dash-bot</option>"#))
        let renamed = try await browser.submit(
            page: "/dashboard/spaces?org=acme", action: "/dashboard/spaces/\(space.token)/edit",
            [("name", "Dash leads Q4"), ("agent", "dash-bot")])
        #expect(renamed.status == .seeOther)
        let edited = try #require(try await server.store.space(token: space.token)).space
        #expect(edited.name == "Dash leads Q4" && edited.agentHandle == "dash-bot")
        let agentEdit = try await browser.submit(
            page: "/dashboard/agents?org=acme", action: "/dashboard/agents/dash-bot/edit", [("name", "Dash"), ("type", "Voice"), ("purpose", "Book demos")])
        #expect(agentEdit.status == .seeOther)
        let editedAgent = try await server.store.agent(handle: "dash-bot")
        #expect(editedAgent?.agent.purpose == "Book demos" && editedAgent?.agent.name == "Dash")

        // A run, while it is pending: its page reloads itself.
        let response = try await server.request(
            .post, "\(WorkspaceTests.api)/spaces/\(space.token)/tasks/", authorization: "Token \(owner.token)",
            json: #"{"pilot": "dash-bot", "documents": [\#(WorkspaceTests.documents(3))]}"#)
        let run = try response.decode(ObjectEnvelope<CreatedRun>.self).data
        let runs = try await browser.get("/dashboard/runs?org=acme&space=\(space.token)")
        #expect(runs.status == .ok && runs.text.contains(run.runID))
        let tasks = try await browser.get("/dashboard/runs?org=acme&space=\(space.token)&run=\(run.runID)")
        #expect(tasks.status == .ok && tasks.text.contains("Contact 2") && tasks.text.contains(#"http-equiv="refresh""#))
        #expect((try await browser.get("/dashboard/runs?org=acme&space=nope")).status == .notFound)

        let analytics = try await browser.get("/dashboard/analytics?org=acme")
        for card in ["Total Calls", "Interested Calls", "Not Connected", "Avg. Success Score"] {
            #expect(analytics.text.contains(card), "\(card)")
        }
        #expect(analytics.text.contains("<svg class=\"chart\"") && analytics.text.contains("<rect"))
        let invoices = try await browser.get("/dashboard/invoices?org=acme")
        #expect(invoices.status == .ok && invoices.text.contains("No invoices yet"))

        // Archive through the dashboard; audited as the signed-in user.
        let archived = try await browser.submit(page: "/dashboard/agents?org=acme", action: "/dashboard/agents/dash-bot/archive", [])
        let archivedAgent = try await server.store.agent(handle: "dash-bot")
        #expect(archived.status == .seeOther && archivedAgent?.agent.state == .archived)
        let events = try await server.store.auditEvents(AuditFilter(orgID: owner.organization.id, action: "agent.archived"), page: 1, pageSize: 5)
        #expect(events.items.first?.actor.type == "dashboard" && events.items.first?.actor.email == owner.user.email)

        // A member sees, and changes nothing.
        var memberBrowser = Browser(server.client)
        _ = try await memberBrowser.signIn(member.email, DashboardSessionTests.password)
        let seen = try await memberBrowser.get("/dashboard/spaces?org=acme")
        #expect(seen.text.contains(space.token) && !seen.text.contains("Create a space"))
        #expect(!(try await memberBrowser.get("/dashboard/agents?org=acme")).text.contains("Create an agent"))
        let csrf = try #require(Browser.input("csrf", in: seen.text))
        for (action, fields) in [
            ("/dashboard/spaces", [("name", "Sneaky")]), ("/dashboard/spaces/\(space.token)/archive", []),
            ("/dashboard/agents", [("handle", "sneaky"), ("name", "S")]),
        ] {
            #expect((try await memberBrowser.post(action, [("csrf", csrf), ("org", "acme")] + fields)).status == .forbidden, "\(action)")
        }
        let kept = try await server.store.space(token: space.token)
        let sneaky = try await server.store.agent(handle: "sneaky")
        #expect(kept != nil && sneaky == nil)
    }
}
