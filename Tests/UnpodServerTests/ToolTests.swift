import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import UnpodCore
import UnpodServer
import UnpodTestSupport

/// Tools on the management plane (issue 18, item 3): the catalog; custom HTTP tools checked on
/// write (422 saying what is wrong: a private URL, a template naming an undeclared argument or an
/// environment variable the operator did not list, a credential written into a header, a
/// built-in's name); create or replace by id; attach and detach, built-in or custom; a delete
/// detaches; every change audited.
@Suite struct ToolTests {
  static func send(
    _ server: TestServer, _ method: HTTPRequest.Method, _ path: String, _ token: String,
    _ json: String? = nil
  ) async throws
    -> TestResponse
  {
    try await server.request(
      method, "/platform/v1" + path, authorization: "Token \(token)", orgHandle: "acme", json: json)
  }

  @Test(arguments: TestDatabase.all)
  func customToolsAreCheckedSavedAttachedAndDeleted(engine: TestDatabase) async throws {
    try await withServer(
      engine, configure: { $0.toolEnvironment = ["ORDERS_TOKEN"] }, seed: WorkspaceTests.seed,
      Self.customTools)
  }

  static func customTools(_ server: TestServer, _ seed: WorkspaceTests.Seed) async throws {
    let token = seed.owner.token
    let catalog = try await Self.send(server, .get, "/tools", token)
    let builtin = (catalog.json["data"] as? [String: Any])?["builtin"] as? [[String: Any]] ?? []
    #expect(builtin.map { $0["name"] as? String } == ["end_call", "transfer"], "\(catalog.text)")
    #expect(
      Set(builtin.first.map { Array($0.keys) } ?? []) == [
        "name", "description", "availability", "config_key", "parameters",
      ])

    for (body, detail) in [
      (
        #"{"url":"http://127.0.0.1:9/x"}"#,
        "url points at a private, loopback or link-local address, which tools may not reach"
      ),
      (
        #"{"url":"http://[::1]/x"}"#,
        "url points at a private, loopback or link-local address, which tools may not reach"
      ),
      (
        #"{"url":"http://169.254.169.254/latest/meta-data"}"#,
        "url points at a private, loopback or link-local address, which tools may not reach"
      ),
      (#"{"url":"ftp://example.com/x"}"#, "url must be an http or https URL"),
      (
        #"{"url":"https://api.example.com/{{ args.id }}"}"#,
        "{{ args.id }} names an argument that args does not declare"
      ),
      (
        #"{"url":"https://api.example.com/","headers":{"X-Key":"{{ env.AWS_SECRET }}"}}"#,
        "{{ env.AWS_SECRET }}: the operator has not made AWS_SECRET available to tools (UNPOD_TOOL_ENV)"
      ),
      (
        #"{"url":"https://api.example.com/","headers":{"Authorization":"Bearer sk-live-123"}}"#,
        "headers.Authorization holds a credential: put it in the server's environment and write {{ env.NAME }}"
      ),
      (
        #"{"url":"https://api.example.com/","args":{"n":{"type":"date"}}}"#,
        "args.n.type must be one of string, integer, number, boolean"
      ),
    ] {
      let refused = try await Self.send(server, .put, "/custom-tools/lookup_order", token, body)
      #expect(refused.error == .unprocessable(detail), "\(body): \(refused.text)")
    }
    let shadow = try await Self.send(
      server, .put, "/custom-tools/end_call", token, #"{"url":"https://api.example.com/"}"#)
    #expect(shadow.error == .unprocessable("tool_id end_call is a built-in tool's name"))

    let body =
      #"{"url":"https://api.example.com/orders/{{ args.order_id }}","description":"Look up an order","method":"GET","headers":{"Authorization":"Bearer {{ env.ORDERS_TOKEN }}"},"body":{},"args":{"order_id":{"type":"string","required":true}},"timeout":5}"#
    let saved = try await Self.send(server, .put, "/custom-tools/lookup_order", token, body)
    let tool = try #require(saved.json["data"] as? [String: Any], "\(saved.text)")
    #expect(
      Set(tool.keys) == [
        "tool_id", "description", "method", "url", "headers", "body", "args", "timeout",
        "agent_ids",
      ])
    #expect(tool["timeout"] as? Double == 5 && tool["agent_ids"] as? [String] == [])
    // Replace by id: the same tool, now a POST.
    let replaced = try await Self.send(
      server, .put, "/custom-tools/lookup_order", token,
      body.replacingOccurrences(of: #""GET""#, with: #""POST""#))
    #expect((replaced.json["data"] as? [String: Any])?["method"] as? String == "POST")

    let attached = try await Self.send(
      server, .post, "/tools/lookup_order/attach", token, #"{"agent_id":"sales-bot"}"#)
    #expect(
      (attached.json["data"] as? [String: Any])?["kind"] as? String == "custom", "\(attached.text)")
    let optIn = try await Self.send(
      server, .post, "/tools/transfer/attach", token, #"{"agent_id":"sales-bot"}"#)
    #expect((optIn.json["data"] as? [String: Any])?["attached"] as? Bool == true)
    let always = try await Self.send(
      server, .post, "/tools/end_call/detach", token, #"{"agent_id":"sales-bot"}"#)
    #expect(always.status.code == 409)
    let foreign = try await Self.send(
      server, .post, "/tools/lookup_order/attach", token, #"{"agent_id":"their-bot"}"#)
    #expect(foreign.status.code == 404)
    let listed = try await Self.send(server, .get, "/custom-tools", token)
    #expect(
      (listed.json["data"] as? [[String: Any]])?.first?["agent_ids"] as? [String] == ["sales-bot"])
    let salesBot = try #require(try await server.store.agent(handle: "sales-bot")).rowID
    let toolsBefore = try await server.store.agentTools(agentRowID: salesBot)
    #expect(toolsBefore == ["lookup_order", "transfer"])

    let deleted = try await Self.send(server, .delete, "/custom-tools/lookup_order", token)
    #expect(deleted.status.code == 200)
    let toolsAfter = try await server.store.agentTools(agentRowID: salesBot)
    #expect(toolsAfter == ["transfer"])
    let gone = try await Self.send(server, .delete, "/custom-tools/lookup_order", token)
    #expect(gone.status.code == 404)
    let events = try await server.get(
      "/api/v2/platform/audit-log/?page_size=100", token: token, orgHandle: "acme")
    let actions = (events.json["data"] as? [[String: Any]] ?? []).compactMap {
      $0["action"] as? String
    }
    #expect(
      actions.filter { $0 == "custom_tool.saved" }.count == 2
        && actions.contains("custom_tool.deleted") && actions.contains("tool.attached"))
  }

  @Test(arguments: TestDatabase.all)
  func privateToolURLsAreAllowedOnlyWhenTheOperatorSaysSo(engine: TestDatabase) async throws {
    try await withServer(
      engine, configure: { $0.allowPrivateDestinations = true }, seed: WorkspaceTests.seed
    ) { server, seed in
      let saved = try await Self.send(
        server, .put, "/custom-tools/local", seed.owner.token, #"{"url":"http://127.0.0.1:9/x"}"#)
      #expect(saved.status.code == 200, "\(saved.text)")
    }
  }
}

/// A `prompt` agent whose scripted model calls a custom tool on a local HTTP server and then
/// `end_call` (issue 18, item 3): the tool receives the templated request, the model the result
/// within the same turn, and the call ends.
@Suite struct ToolCallTests {
    @Test(arguments: TestDatabase.all)
    func aPromptAgentCallsACustomToolThenEndsTheCall(engine: TestDatabase) async throws {
        setenv("UNPOD_TEST_ORDERS_TOKEN", "orders-secret-1", 1)
        try await ToolServer.with { tools in
            try await ScriptedModelServer.with { model in
                try await withServer(
                    engine,
                    configure: {
                        $0.calls.languageModel = LanguageModelConfiguration(url: model.url, model: "scripted-1")
                        $0.allowPrivateDestinations = true
                        $0.toolEnvironment = ["UNPOD_TEST_ORDERS_TOKEN"]
                    },
                    seed: WorkspaceTests.seed
                ) { server, seed in
                    try await Self.walk(server, seed, tools: tools, model: model)
                }
            }
        }
    }

    static func walk(_ server: TestServer, _ seed: WorkspaceTests.Seed, tools: ToolServer, model: ScriptedModelServer) async throws {
        let token = seed.owner.token
        try await ServerBrainTests.createAgent(server, token, #"{"agent_id":"shop-bot","brain":{"type":"prompt","ref":"You help with orders."}}"#)
        let saved = try await ToolTests.send(
            server, .put, "/custom-tools/lookup_order", token,
            #"{"url":"http://127.0.0.1:\#(tools.port)/orders/{{ args.order_id }}?via=unpod","description":"Look up an order","method":"POST","headers":{"X-Orders-Token":"{{ env.UNPOD_TEST_ORDERS_TOKEN }}"},"body":{"order":"{{ args.order_id }}","note":"asked for {{ args.order_id }}"},"args":{"order_id":{"type":"string","description":"The order's number","required":true}},"timeout":5}"#)
        #expect(saved.status.code == 200, "\(saved.text)")
        _ = try await ToolTests.send(server, .post, "/tools/lookup_order/attach", token, #"{"agent_id":"shop-bot"}"#)

        let session = try await WebCallTests.startCall(server, token: token, agent: "shop-bot")
        let caller = try WebCallTests.caller(session, server)
        try await eventually(within: 10) { caller.messages(ofType: "call.status", key: "event").contains { $0["status"] as? String == "active" } }
        try await caller.send(#"{"event":"user.text","text":"where is order 4217?"}"#)
        let ended = try await caller.waitFor("call.ended", key: "event")
        #expect(ended["status"] as? String == "connected" && ended["end_reason"] as? String == "AGENT_ENDED_CALL", "\(ended)")

        // The tool got the templated request.
        let request = try #require(tools.requests.first)
        #expect(tools.requests.count == 1)
        #expect(request.method == "POST" && request.path == "/orders/4217" && request.query == "via=unpod")
        #expect(request.headers["x-orders-token"] == "orders-secret-1")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [String: String])
        #expect(body == ["order": "4217", "note": "asked for 4217"])
        // The model was offered the tools, then got the result in the same turn.
        let asked = model.requests
        #expect(asked.count == 2)
        let offered = (asked.first?.body["tools"] as? [[String: Any]] ?? []).compactMap { ($0["function"] as? [String: Any])?["name"] as? String }
        #expect(offered == ["end_call", "lookup_order"])
        let result = try #require(asked.last?.messages.last)
        #expect(result["role"] == "tool" && result["content"] == #"HTTP 200: {"status":"shipped"}"#, "\(result)")
        // The caller heard it all as one reply; the transcript has it.
        let read = try await server.get("/api/v2/platform/speech/v1/calls/\(session["call_id"] as? String ?? "")", token: token, orgHandle: "acme")
        let call = try #require(read.json["data"] as? [String: Any])
        #expect(ServerBrainTests.lines(call) == [
            "user: where is order 4217?", #"agent: Let me check. The tool said: HTTP 200: {"status":"shipped"}. Goodbye!"#,
        ])
        #expect(!server.logs.text.contains("orders-secret-1"))
    }
}
