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
                NewCall(orgID: seed.owner.organization.id, agent: agent, direction: "web", callerToken: "t", nodeID: "node_test"), actor: .cli)
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

    /// The test-call page (item 6): a published agent's Test call starts a web call whose caller
    /// side is the page; the caller token is in the page only (not cached), and the call is the
    /// organization's like any other. The page's script is walked in Chromium by scripts/dashboard-browser.sh.
    @Test(arguments: TestDatabase.all)
    func aTestCallStartsAWebCallWhoseCallerSideIsThePage(engine: TestDatabase) async throws {
        try await withServer(engine, seed: WorkspaceTests.seed) { server, seed in
            var browser = Browser(server.client)
            _ = try await browser.signIn(seed.owner.user.email, DashboardSessionTests.password)
            let agents = try await browser.get("/dashboard/agents?org=acme")
            #expect(agents.text.contains(#"id="test-call-sales-bot""#) && !agents.text.contains(#"id="test-call-draft-bot""#))
            let csrf = try #require(Browser.input("csrf", in: agents.text))
            let page = try await browser.post("/dashboard/agents/sales-bot/test-call", [("csrf", csrf), ("org", "acme")])
            #expect(page.status == .ok && page.headers[.cacheControl] == "no-store")
            let calls = try await server.store.calls(orgID: seed.owner.organization.id, status: nil, page: 1, pageSize: 10)
            let call = try #require(calls.items.first)
            #expect(calls.count == 1 && call.agentHandle == "sales-bot" && call.direction == "web")
            #expect(page.text.contains(#"data-media-url="ws://"#) && page.text.contains("/v1/calls/\(call.callID)/media"))
            #expect(page.text.contains(#"data-token="cs_"#))
            // The page's token is the call's caller token: the caller side connects with it.
            let token = try #require(page.text.components(separatedBy: #"data-token=""#).dropFirst().first?.split(separator: "\"").first)
            let caller = SocketTestClient(url: "ws://127.0.0.1:\(server.port)/v1/calls/\(call.callID)/media?token=\(token)")
            try await caller.waitFor("call.status", key: "event")
            try await caller.send(#"{"event":"hangup"}"#)
            try await caller.waitFor("call.ended", key: "event")
            // A draft agent takes no test call; a form without its CSRF token is refused.
            #expect((try await browser.post("/dashboard/agents/draft-bot/test-call", [("csrf", csrf), ("org", "acme")])).status == .notFound)
            #expect((try await browser.post("/dashboard/agents/sales-bot/test-call", [("org", "acme")])).status == .forbidden)
        }
    }
}
