import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import UnpodCore
import UnpodPersistence
import UnpodServer
import UnpodTestSupport

/// The dashboard's Webhooks pages (issue 18): an owner adds an endpoint and sees its secret once;
/// deliveries and attempts show on the endpoint's page; a message is resent from there; a member
/// reads but cannot change.
@Suite struct DashboardWebhookTests {
    @Test(arguments: TestDatabase.all)
    func ownersManageEndpointsAndEveryoneSeesTheirDeliveries(engine: TestDatabase) async throws {
        try await WebhookReceiver.with { receiver in
            try await withServer(
                engine, configure: WebhookDeliveryTests.allowPrivate,
                seed: { store in
                    let seed = try await WorkspaceTests.seed(store)
                    let member = try await store.createUser(email: "member@example.com", password: DashboardSessionTests.password)
                    try await store.setMembership(userID: member.id, orgID: seed.owner.organization.id, role: .member)
                    return (seed, member)
                }
            ) { server, seeded in
                try await Self.scenario(server, seeded.0, seeded.1, receiver)
            }
        }
    }

    static func scenario(_ server: TestServer, _ seed: WorkspaceTests.Seed, _ member: User, _ receiver: WebhookReceiver) async throws {
        var browser = Browser(server.client)
        _ = try await browser.signIn(seed.owner.user.email, DashboardSessionTests.password)
        let refused = try await browser.submit(
            page: "/dashboard/webhooks?org=acme", action: "/dashboard/webhooks", [("url", "ftp://example.com/x")])
        #expect(refused.status == .badRequest && refused.text.contains("url must be an http or https URL"))
        let added = try await browser.submit(
            page: "/dashboard/webhooks?org=acme", action: "/dashboard/webhooks",
            [("url", receiver.url("/dash")), ("event", "call.ended"), ("description", "from the dashboard")])
        #expect(added.status == .ok && added.text.contains("It will not be shown again"))
        let endpoint = try #require(try await server.store.webhookEndpoints(orgID: seed.owner.organization.id).first)
        #expect(endpoint.events == [.callEnded] && endpoint.description == "from the dashboard")
        let secret = try #require(added.text.range(of: #"whsec_[A-Za-z0-9+/=]+"#, options: .regularExpression).map { String(added.text[$0]) })
        let list = try await browser.get("/dashboard/webhooks?org=acme")
        #expect(list.status == .ok && list.text.contains(endpoint.endpointID) && !list.text.contains(secret))

        _ = try await WebhookTests.call(server, seed)
        try await eventually(within: 10) { receiver.requests("/dash").count == 1 }
        #expect(WebhookTests.verifies(receiver.requests("/dash")[0], secret))
        let messageID = try #require(receiver.requests("/dash")[0].headers["webhook-id"])
        try await eventually(within: 10) {
            let page = try await browser.get("/dashboard/webhooks/\(endpoint.endpointID)?org=acme")
            return page.text.contains(messageID) && page.text.contains("delivered") && page.text.contains("answer 200")
        }
        let resent = try await browser.submit(
            page: "/dashboard/webhooks/\(endpoint.endpointID)?org=acme",
            action: "/dashboard/webhooks/\(endpoint.endpointID)/messages/\(messageID)/resend", [])
        #expect(resent.status == .seeOther)
        try await eventually(within: 10) { receiver.requests("/dash").count == 2 }
        #expect(receiver.requests("/dash")[1].headers["webhook-id"] == messageID)
        let disabled = try await browser.submit(
            page: "/dashboard/webhooks?org=acme", action: "/dashboard/webhooks/\(endpoint.endpointID)/toggle", [])
        #expect(disabled.status == .seeOther)
        #expect(try await server.store.webhookEndpoint(orgID: seed.owner.organization.id, endpointID: endpoint.endpointID)?.disabledAt != nil)
        #expect((try await browser.get("/dashboard/webhooks/nope?org=acme")).status == .notFound)

        // A member reads the pages, without the forms, and cannot change anything.
        var reader = Browser(server.client)
        _ = try await reader.signIn(member.email, DashboardSessionTests.password)
        let read = try await reader.get("/dashboard/webhooks?org=acme")
        #expect(read.status == .ok && read.text.contains(endpoint.endpointID) && !read.text.contains("Add endpoint"))
        let csrf = try #require(Browser.input("csrf", in: read.text))
        for (action, fields) in [
            ("/dashboard/webhooks", [("url", receiver.url("/sneaky"))]), ("/dashboard/webhooks/\(endpoint.endpointID)/delete", []),
            ("/dashboard/webhooks/\(endpoint.endpointID)/rotate", []),
        ] {
            #expect((try await reader.post(action, [("csrf", csrf), ("org", "acme")] + fields)).status == .forbidden, "\(action)")
        }
        #expect(try await server.store.webhookEndpoints(orgID: seed.owner.organization.id).count == 1)
        let events = try await server.store.auditEvents(
            AuditFilter(orgID: seed.owner.organization.id, action: "webhook_endpoint.created"), page: 1, pageSize: 5)
        #expect(events.items.first?.actor.type == "dashboard")
    }
}
