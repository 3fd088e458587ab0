import AsyncHTTPClient
import Foundation
import HTTPTypes
import Testing
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

/// Calls across nodes on PostgreSQL (issue 17, item 8): a runner connected to one node takes a
/// call created on another, whose caller side is there too; they converse as on one node (the
/// assignment, the runner's frames and the caller's go between the nodes through PostgreSQL), a
/// hangup through either node ends the call, and a call whose runner's node is killed ends
/// `failed` on the node holding it. Two server processes, every socket real.
@Suite(.serialized) struct CallsAcrossNodesTests {
    static let speech = PhoneCallTests.speech

    /// The SDK's runner registered with `node` for the seed's agent.
    static func runner(on node: ServerProcess, token: String) async throws -> SocketTestClient {
        var headers = HTTPFields()
        headers[.authorization] = "Token \(token)"
        headers[HTTPField.Name("Org-Handle")!] = "acme"
        let runner = SocketTestClient(url: "ws://127.0.0.1:\(node.port)/v1/internal/workers", headers: headers)
        try await runner.send(RunnerSocketTests.register())
        try await runner.waitFor("registered")
        return runner
    }

    /// A web call made on `node`, its caller side connected there, the runner's bridge dialed and
    /// greeted: the call id, the caller, the bridge, and the assignment.
    static func connectedCall(on node: ServerProcess, runner: SocketTestClient, token: String) async throws
        -> (callID: String, caller: SocketTestClient, bridge: SocketTestClient, assign: [String: Any])
    {
        let (status, body) = try await PhoneCallTests.send(.POST, node.baseURL + speech + "/sessions/token", token, #"{"agent_id":"sales-bot"}"#)
        #expect(status == 201)
        let session = try #require(body["data"] as? [String: Any])
        let callID = try #require(session["call_id"] as? String)
        let caller = SocketTestClient(url: try #require(session["media_url"] as? String) + "?token=\(try #require(session["token"] as? String))")
        let assign = try await runner.waitFor("job.assign")
        #expect(assign["call_id"] as? String == callID)
        try await runner.send(
            #"{"type":"job.ack","job_id":"\#(assign["job_id"] as? String ?? "")","assign_id":"\#(assign["assign_id"] as? String ?? "")","accepted":true,"reason":null}"#)
        let bridge = SocketTestClient(url: (assign["bridge_url"] as? String ?? "") + "?token=\(assign["call_token"] as? String ?? "")")
        try await bridge.send(#"{"event":"hello","protocol_version":2}"#)
        let ack = try await bridge.waitFor("hello.ack", key: "event")
        #expect(ack["call_id"] as? String == callID)
        try await bridge.waitFor("call.started", key: "event")
        try await eventually(within: 10) { caller.messages(ofType: "call.status", key: "event").contains { $0["status"] as? String == "active" } }
        return (callID, caller, bridge, assign)
    }

    @Test(arguments: TestDatabase.all.filter { $0 == .postgres })
    func aRunnerOnOneNodeConversesWithACallerOnAnother(_ engine: TestDatabase) async throws {
        try await withTestStore(engine) { store, database in
            let seed = try await WorkspaceTests.seed(store)
            let token = seed.owner.token
            let runnerNode = try await ServerProcess(database: database.location)
            defer { runnerNode.stop() }
            let callNode = try await ServerProcess(database: database.location)
            defer { callNode.stop() }
            let runner = try await Self.runner(on: runnerNode, token: token)
            let (callID, caller, bridge, assign) = try await Self.connectedCall(on: callNode, runner: runner, token: token)
            let bridgeURL = try #require(assign["bridge_url"] as? String)
            #expect(bridgeURL.hasPrefix("ws://127.0.0.1:\(runnerNode.port)/"), "the runner dials the node it is connected to")

            // The refusals of the node holding the call, through the runner's node.
            #expect(await SocketTestClient.refusal(url: bridgeURL + "?token=\(assign["call_token"] as? String ?? "")") == 4009)
            #expect(await SocketTestClient.refusal(url: bridgeURL + "?token=wrong") == 4003)

            try await bridge.send(#"{"event":"agent.say","text":"Hello from the other node."}"#)
            try await caller.waitFor("agent.say", key: "event")
            for (turn, text) in ["first question", "second question"].enumerated() {
                try await caller.send(#"{"event":"user.text","text":"\#(text)"}"#)
                try await bridge.waitFor("user.text", key: "event", count: turn + 1)
                #expect(bridge.messages(ofType: "user.text", key: "event").last?["text"] as? String == text)
                for delta in ["Answer ", "to \(text)."] {
                    try await bridge.send(#"{"event":"agent.text.delta","text":"\#(delta)"}"#)
                }
                try await bridge.send(#"{"event":"agent.text.end"}"#)
                try await caller.waitFor("agent.text.end", key: "event", count: turn + 1)
            }
            #expect(caller.messages(ofType: "agent.text.delta", key: "event").compactMap { $0["text"] as? String } == [
                "Answer ", "to first question.", "Answer ", "to second question.",
            ])

            // Hung up through the node that does not hold it.
            let (hungUp, body) = try await PhoneCallTests.send(.POST, runnerNode.baseURL + Self.speech + "/calls/\(callID)/hangup", token)
            #expect(hungUp == 200)
            let after = try #require(body["data"] as? [String: Any])
            #expect(after["status"] as? String == "connected" && after["end_reason"] as? String == "HANGUP_REQUESTED")
            let ended = try await caller.waitFor("call.ended", key: "event")
            #expect(ended["end_reason"] as? String == "HANGUP_REQUESTED")
            #expect(await bridge.closeCode == 1000)
            #expect(await SocketTestClient.refusal(url: bridgeURL + "?token=\(assign["call_token"] as? String ?? "")") == 4003)

            let call = try await PhoneCallTests.send(.GET, callNode.baseURL + Self.speech + "/calls/" + callID, token).1["data"] as? [String: Any]
            let transcript = try #require(call?["transcript"] as? [[String: Any]])
            #expect(transcript.map { "\($0["role"] ?? ""): \($0["content"] ?? "")" } == [
                "agent: Hello from the other node.", "user: first question", "agent: Answer to first question.",
                "user: second question", "agent: Answer to second question.",
            ])

            // The runner's place was given back across the nodes: it takes the next call, and the
            // caller side may also connect through the node that does not hold the call.
            let (status, next) = try await PhoneCallTests.send(.POST, callNode.baseURL + Self.speech + "/sessions/token", token, #"{"agent_id":"sales-bot"}"#)
            #expect(status == 201)
            let session = try #require(next["data"] as? [String: Any])
            let media = try #require(session["media_url"] as? String).replacingOccurrences(of: ":\(callNode.port)/", with: ":\(runnerNode.port)/")
            let farCaller = SocketTestClient(url: media + "?token=\(session["token"] as? String ?? "")")
            try await farCaller.waitFor("call.status", key: "event")
            let second = try await runner.waitFor("job.assign", count: 2)
            #expect(second["call_id"] as? String == session["call_id"] as? String)
            try await farCaller.send(#"{"event":"hangup"}"#)
            let farEnded = try await farCaller.waitFor("call.ended", key: "event")
            #expect(farEnded["end_reason"] as? String == "USER_HUNG_UP_IN_CALL")
        }
    }

    @Test(arguments: TestDatabase.all.filter { $0 == .postgres })
    func aCallWhoseRunnersNodeIsKilledEndsFailedOnTheNodeHoldingIt(_ engine: TestDatabase) async throws {
        try await withTestStore(engine) { store, database in
            let seed = try await WorkspaceTests.seed(store)
            let token = seed.owner.token
            let doomed = try await ServerProcess(database: database.location)
            defer { doomed.stop() }
            let holder = try await ServerProcess(database: database.location)
            defer { holder.stop() }
            let runner = try await Self.runner(on: doomed, token: token)
            let (callID, caller, bridge, _) = try await Self.connectedCall(on: holder, runner: runner, token: token)
            try await caller.send(#"{"event":"user.text","text":"are you there?"}"#)
            try await bridge.waitFor("user.text", key: "event")

            doomed.kill()
            let killedAt = ContinuousClock.now
            let ended = try await caller.waitFor("call.ended", key: "event")
            #expect(ContinuousClock.now - killedAt < .seconds(10), "ended within 10 s")
            #expect(ended["status"] as? String == "failed")
            let call = try await PhoneCallTests.send(.GET, holder.baseURL + Self.speech + "/calls/" + callID, token).1["data"] as? [String: Any]
            #expect(call?["status"] as? String == "failed")
            #expect(call?["end_reason"] as? String == "the node of the call's runner stopped")
            #expect((call?["transcript"] as? [[String: Any]])?.map { $0["content"] as? String } == ["are you there?"])
        }
    }

    @Test(arguments: TestDatabase.all.filter { $0 == .postgres })
    func aPhoneCallMadeOnANodeWithoutAGatewayIsPlacedByTheNodeThatHasOne(_ engine: TestDatabase) async throws {
        try await ScriptedModelServer.with { model in
            try await withTestStore(engine) { store, database in
                let seed = try await PhoneCallTests.seed(store)
                let token = seed.owner.token
                let arguments = ["--llm-url", model.url, "--llm-model", "scripted-1", "--call-queue-timeout", "2"]
                let gatewayNode = try await ServerProcess(database: database.location, arguments: arguments)
                defer { gatewayNode.stop() }
                let callNode = try await ServerProcess(database: database.location, arguments: arguments)
                defer { callNode.stop() }
                let (created, _) = try await PhoneCallTests.send(
                    .POST, callNode.baseURL + Self.speech + "/agents", token,
                    #"{"agent_id":"phone-bot","brain":{"type":"prompt","ref":"You book demos."},"greeting":"Hello, this is Acme."}"#)
                #expect(created == 201)
                let gateway = try WorkerProcess(
                    url: gatewayNode.baseURL, apiKey: token, arguments: ["--gateway", "--simulate", "--org", "acme", "--concurrency", "4"])
                defer { gateway.stop() }
                try await eventually(within: 20) { gateway.output.contains("registered") }
                var outcomes: Set<String> = []
                for number in ["+14155550111", "+14155550112", "+14155550113", "+14155550114", "+14155550115", "+14155550116"] {
                    let call = try await PhoneCallTests.ended(
                        callNode.baseURL, token, try await PhoneCallTests.place(callNode.baseURL, token, to: number))
                    outcomes.insert(call["status"] as? String ?? "")
                    let lines = ServerBrainTests.lines(call)
                    if call["status"] as? String == "connected" {
                        #expect(lines.first == "agent: Hello, this is Acme.", "\(lines)")
                        #expect(lines.contains { $0.hasPrefix("user: ") }, "the callee spoke through the other node")
                    } else {
                        #expect(call["end_reason"] as? String == "USER_DID_NOT_PICK_UP", "\(call) \(gateway.output.suffix(2000))")
                    }
                }
                #expect(outcomes == ["connected", "notConnected"])
            }
        }
    }
}
