import Foundation
import Testing
import UnpodCore
import UnpodPersistence
import UnpodServer
import UnpodTestSupport

/// The dashboard's Calls page and a call's page (issue 17, item 6, in part), over a real socket
/// with a cookie jar.
@Suite struct DashboardCallsTests {
    @Test(arguments: TestDatabase.all)
    func theCallsPageListsCallsAndACallsPageShowsItsTranscript(engine: TestDatabase) async throws {
        try await withServer(engine, seed: WorkspaceTests.seed) { server, seed in
            let store = server.store
            let agent = try #require(try await store.agent(handle: "sales-bot"))
            let call = try await store.createCall(
                NewCall(orgID: seed.owner.organization.id, agent: agent, direction: "web", callerToken: "t"), actor: .cli)
            try await store.markCall(call.callID, .active)
            let now = server.clock.now()
            try await store.endCall(
                call.callID, status: .connected, endReason: "USER_HUNG_UP_IN_CALL",
                transcript: [
                    TranscriptTurn(role: .agent, content: "Hi! <b>How</b> can I help?", timestamp: now),
                    TranscriptTurn(role: .user, content: "hello", timestamp: now),
                ])
            var browser = Browser(server.client)
            _ = try await browser.signIn(seed.owner.user.email, DashboardSessionTests.password)
            let list = try await browser.get("/dashboard/calls?org=acme")
            #expect(list.status == .ok)
            #expect(list.text.contains(#"href="/dashboard/calls/\#(call.callID)?org=acme""#) && list.text.contains("USER_HUNG_UP_IN_CALL"))
            #expect((try await browser.get("/dashboard/calls?org=acme&status=failed")).text.contains("No calls yet"))
            #expect((try await browser.get("/dashboard/calls?org=acme&status=bogus")).status == .badRequest)
            let page = try await browser.get("/dashboard/calls/\(call.callID)?org=acme")
            #expect(page.status == .ok)
            #expect(page.text.contains("Hi! &lt;b&gt;How&lt;/b&gt; can I help?"), "what was said, escaped")
            #expect(page.text.contains(#"class="turn user""#) && page.text.contains("hello"))
            #expect((try await browser.get("/dashboard/calls/call_nope?org=acme")).status == .notFound)
            // Another organization's member does not see it.
            var outsider = Browser(server.client)
            _ = try await outsider.signIn(seed.outsider.user.email, DashboardSessionTests.password)
            #expect((try await outsider.get("/dashboard/calls/\(call.callID)?org=other")).status == .notFound)
        }
    }
}
