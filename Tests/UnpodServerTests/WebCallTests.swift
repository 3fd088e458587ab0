import Foundation
import HTTPTypes
import Testing
import UnpodCore
import UnpodPersistence
import UnpodServer
import UnpodTestSupport

/// A web call (issue 17, items 2 and 3 in part): `sessions/token` makes the call, a runner of the
/// agent takes it, dials its bridge and converses with the caller side; the transcript is what
/// was said, in order, and a call nobody takes ends `notConnected`. Every socket is real; the
/// runner speaks the SDK's frames.
@Suite struct WebCallTests {
    static let speech = "/api/v2/platform/speech/v1"

    /// A URL the server answered, pointed at the test server's port (the test client sends `Host: localhost`).
    static func local(_ url: String, _ server: TestServer) -> String {
        WebCallTestsURL.local(url, port: server.port)
    }

    static func runner(_ server: TestServer, token: String, agent: String = "sales-bot", maxConcurrent: Int = 50) async throws
        -> SocketTestClient
    {
        let runner = RunnerSocketTests.connect(server, authorization: "Token \(token)")
        try await runner.send(RunnerSocketTests.register(agent: agent, maxConcurrent: maxConcurrent))
        try await runner.waitFor("registered")
        try await runner.send(#"{"type":"heartbeat","active_jobs":0,"worker_id":"\#(agent)#12556dec"}"#)
        return runner
    }

    static func startCall(_ server: TestServer, token: String, agent: String = "sales-bot") async throws -> [String: Any] {
        let response = try await server.request(
            .post, "\(speech)/sessions/token", authorization: "Token \(token)", orgHandle: "acme", json: #"{"agent_id": "\#(agent)"}"#)
        #expect(response.status.code == 201, "\(response.text)")
        return try #require(response.json["data"] as? [String: Any])
    }

    /// The caller side of a call `sessions/token` answered.
    static func caller(_ session: [String: Any], _ server: TestServer) throws -> SocketTestClient {
        SocketTestClient(
            url: local(try #require(session["media_url"] as? String), server) + "?token=\(try #require(session["token"] as? String))")
    }

    /// The runner takes an assigned call: acks it, dials its bridge and says hello; the bridge once
    /// `call.started` has come.
    static func acceptAndDial(_ assign: [String: Any], runner: SocketTestClient, _ server: TestServer) async throws -> SocketTestClient {
        try await runner.send(
            #"{"type":"job.ack","job_id":"\#(assign["job_id"] as? String ?? "")","assign_id":"\#(assign["assign_id"] as? String ?? "")","accepted":true,"reason":null}"#)
        let bridge = SocketTestClient(url: local(assign["bridge_url"] as? String ?? "", server) + "?token=\(assign["call_token"] as? String ?? "")")
        try await bridge.send(#"{"event":"hello","protocol_version":2}"#)
        try await bridge.waitFor("call.started", key: "event")
        return bridge
    }

    @Test(arguments: TestDatabase.all)
    func aWebCallConversesWithTheRunnerAndKeepsItsTranscript(engine: TestDatabase) async throws {
        try await withServer(engine, seed: WorkspaceTests.seed) { server, seed in
            let owner = seed.owner
            let runner = try await Self.runner(server, token: owner.token)
            let session = try await Self.startCall(server, token: owner.token)
            let callID = try #require(session["call_id"] as? String)
            #expect(session["session_id"] as? String == callID)
            let callerToken = try #require(session["token"] as? String)
            // The call goes to a runner once its caller side is there to hear the agent.
            try await Task.sleep(for: .milliseconds(300))
            #expect(runner.messages(ofType: "job.assign").isEmpty)
            let caller = SocketTestClient(url: Self.local(try #require(session["media_url"] as? String), server) + "?token=\(callerToken)")
            try await caller.waitFor("call.status", key: "event")

            let assign = try await runner.waitFor("job.assign")
            #expect(assign["call_id"] as? String == callID && assign["agent_id"] as? String == "sales-bot")
            #expect(assign["deadline_ms"] as? Int == 2000)
            let assignID = try #require(assign["assign_id"] as? String)
            let jobID = try #require(assign["job_id"] as? String)
            let callToken = try #require(assign["call_token"] as? String)
            let bridgeURL = Self.local(try #require(assign["bridge_url"] as? String), server)
            try await runner.send(#"{"type":"job.ack","job_id":"\#(jobID)","assign_id":"\#(assignID)","accepted":true,"reason":null}"#)


            let bridge = SocketTestClient(url: bridgeURL + "?token=\(callToken)")
            try await bridge.send(#"{"event":"hello","protocol_version":2,"supported_events":["user.text"],"supported_verbs":["agent.say"]}"#)
            let ack = try await bridge.waitFor("hello.ack", key: "event")
            #expect(ack["call_id"] as? String == callID && ack["session_id"] as? String == callID && ack["job_id"] as? String == jobID)
            let started = try await bridge.waitFor("call.started", key: "event")
            let metadata = try #require(started["metadata"] as? [String: Any])
            #expect(started["agent_id"] as? String == "sales-bot" && metadata["direction"] as? String == "web")
            #expect(metadata["org_id"] as? String == "acme" && metadata["data"] is [String: Any])
            // Refusals, checked once the call is up (the test client sometimes loses a close frame
            // that comes right after the upgrade, and retries: that must not hold up the dial).
            // One caller side per call; a bad token and an unknown call are 4003 on the bridge.
            #expect(await SocketTestClient.refusal(url: Self.local(try #require(session["media_url"] as? String), server) + "?token=\(callerToken)") == 4003)
            #expect(await SocketTestClient.refusal(url: Self.local(try #require(session["media_url"] as? String), server) + "?token=wrong") == 4003)
            #expect(await SocketTestClient.refusal(url: bridgeURL + "?token=wrong") == 4003)
            #expect(await SocketTestClient.refusal(url: "ws://127.0.0.1:\(server.port)/v1/bridge/call_nope?token=\(callToken)") == 4003)
            // A second live bridge socket is 4009.
            #expect(await SocketTestClient.refusal(url: bridgeURL + "?token=\(callToken)") == 4009)
            try await eventually(within: 10) { caller.messages(ofType: "call.status", key: "event").contains { $0["status"] as? String == "active" } }

            try await bridge.send(#"{"event":"agent.say","text":"Hi! How can I help you today?"}"#)
            try await bridge.send(#"{"event":"agent.say","text":"__filler:um"}"#)
            try await caller.waitFor("agent.say", key: "event")
            try await caller.send(#"{"event":"user.text","text":"hello"}"#)
            let heard = try await bridge.waitFor("user.text", key: "event")
            #expect(heard["text"] as? String == "hello" && heard["is_final"] as? Bool == true)
            for delta in ["You said ", "hello. ", "How can I help?"] {
                try await bridge.send(#"{"event":"agent.text.delta","text":"\#(delta)"}"#)
            }
            try await bridge.send(#"{"event":"agent.text.end"}"#)
            try await caller.waitFor("agent.text.end", key: "event")
            #expect(caller.messages(ofType: "agent.text.delta", key: "event").count == 3)
            #expect(caller.messages(ofType: "agent.say", key: "event").count == 1, "control texts are not speech")

            try await caller.send(#"{"event":"hangup"}"#)
            let ended = try await caller.waitFor("call.ended", key: "event")
            #expect(ended["status"] as? String == "connected" && ended["end_reason"] as? String == "USER_HUNG_UP_IN_CALL")
            #expect(await bridge.closeCode == 1000)
            // A redial after the end is refused, so the SDK does not run the agent again.
            #expect(await SocketTestClient.refusal(url: bridgeURL + "?token=\(callToken)") == 4003)

            let read = try await server.get("\(Self.speech)/calls/\(callID)", token: owner.token, orgHandle: "acme")
            #expect(read.status == .ok, "\(read.text)")
            let call = try #require(read.json["data"] as? [String: Any])
            #expect(call["status"] as? String == "connected" && call["transcript_turns"] as? Int == 3)
            let transcript = try #require(call["transcript"] as? [[String: Any]])
            #expect(transcript.map { "\($0["role"] ?? ""): \($0["content"] ?? "")" } == [
                "agent: Hi! How can I help you today?", "user: hello", "agent: You said hello. How can I help?",
            ])
            #expect((call["traces"] as? [String: Any])?["call_timings"] is [String: Any])
            let list = try await server.get("\(Self.speech)/calls?call_status=connected", token: owner.token, orgHandle: "acme")
            #expect(list.json["count"] as? Int == 1)
            #expect(((list.json["data"] as? [[String: Any]])?.first?["transcript"]) is NSNull, "no transcript on list rows")
            // Another organization does not see it.
            let other = try await server.get("\(Self.speech)/calls/\(callID)", token: seed.outsider.token, orgHandle: "other")
            #expect(other.status == .notFound)
            _ = runner
        }
    }

    @Test(arguments: TestDatabase.all)
    func aRefusedCallGoesToAnotherRunnerAndACallNobodyTakesEndsNotConnected(engine: TestDatabase) async throws {
        try await withServer(
            engine, configure: { $0.calls = CallConfiguration(queueTimeout: .seconds(1)) }, seed: WorkspaceTests.seed
        ) { server, seed in
            let owner = seed.owner
            let first = try await Self.runner(server, token: owner.token)
            let second = try await Self.runner(server, token: owner.token)
            let session = try await Self.startCall(server, token: owner.token)
            let callID = try #require(session["call_id"] as? String)
            let caller = try Self.caller(session, server)
            // Whichever runner is offered the call first refuses it; the other gets it.
            try await eventually(within: 10) { !first.messages(ofType: "job.assign").isEmpty || !second.messages(ofType: "job.assign").isEmpty }
            let (refuser, taker) = first.messages(ofType: "job.assign").isEmpty ? (second, first) : (first, second)
            let offer = try #require(refuser.messages(ofType: "job.assign").first)
            try await refuser.send(
                #"{"type":"job.ack","job_id":"\#(offer["job_id"] as? String ?? "")","assign_id":"\#(offer["assign_id"] as? String ?? "")","accepted":false,"reason":"at_capacity"}"#)
            let retry = try await taker.waitFor("job.assign")
            #expect(retry["call_id"] as? String == callID && retry["assign_id"] as? String != offer["assign_id"] as? String)
            #expect(retry["job_id"] as? String == offer["job_id"] as? String, "the same job, another attempt")
            // The taker never acks: after three attempts in all, or the queue timeout, the call ends notConnected.
            try await eventually(within: 15) {
                let read = try await server.get("\(Self.speech)/calls/\(callID)", token: owner.token, orgHandle: "acme")
                return (read.json["data"] as? [String: Any])?["status"] as? String == "notConnected"
            }

            // No runner at all for the draft agent: notConnected with the reason.
            let lonely = try await Self.startCall(server, token: owner.token, agent: "draft-bot")
            let lonelyID = try #require(lonely["call_id"] as? String)
            let lonelyCaller = try Self.caller(lonely, server)
            try await eventually(within: 10) {
                let read = try await server.get("\(Self.speech)/calls/\(lonelyID)", token: owner.token, orgHandle: "acme")
                let call = read.json["data"] as? [String: Any]
                return call?["status"] as? String == "notConnected"
                    && (call?["end_reason"] as? String)?.contains("no runner of agent draft-bot") == true
            }
            try await lonelyCaller.waitFor("call.ended", key: "event")
            try await caller.waitFor("call.ended", key: "event")
            // Bad requests.
            let neither = try await server.request(.post, "\(Self.speech)/sessions/token", authorization: "Token \(owner.token)", orgHandle: "acme", json: "{}")
            #expect(neither.status == .badRequest)
            let theirs = try await server.request(
                .post, "\(Self.speech)/sessions/token", authorization: "Token \(owner.token)", orgHandle: "acme", json: #"{"agent_id": "their-bot"}"#)
            #expect(theirs.status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aHangupDuringAStreamedReplyClosesTheBridgeAfterTheReplyAndTheOrchestratorEndsCalls(engine: TestDatabase) async throws {
        // A grace long enough to tell "closed at the reply's end" from "closed after the grace"
        // on a loaded two-core machine.
        try await withServer(engine, configure: { $0.calls.replyGrace = .seconds(6) }, seed: WorkspaceTests.seed) { server, seed in
            let owner = seed.owner
            let runner = try await Self.runner(server, token: owner.token)
            let session = try await Self.startCall(server, token: owner.token)
            let callID = try #require(session["call_id"] as? String)
            let caller = try Self.caller(session, server)
            let assign = try await runner.waitFor("job.assign")
            let bridge = try await Self.acceptAndDial(assign, runner: runner, server)
            try await caller.send(#"{"event":"user.text","text":"tell me a story"}"#)
            try await bridge.waitFor("user.text", key: "event")
            try await bridge.send(#"{"event":"agent.text.delta","text":"Once upon "}"#)
            try await caller.waitFor("agent.text.delta", key: "event")
            // The human hangs up mid-reply: told at once; the runner's bridge stays open for the
            // reply's end (closing mid-stream makes the SDK redial), then closes cleanly.
            try await caller.send(#"{"event":"hangup"}"#)
            let ended = try await caller.waitFor("call.ended", key: "event")
            #expect(ended["end_reason"] as? String == "USER_HUNG_UP_IN_CALL")
            try await bridge.send(#"{"event":"agent.text.delta","text":"a time"}"#)
            try await bridge.send(#"{"event":"agent.text.end"}"#)
            let closing = ContinuousClock.now
            #expect(await bridge.closeCode == 1000)
            #expect(ContinuousClock.now - closing < .seconds(3), "closed at the reply's end, not after the grace")
            let read = try await server.get("\(Self.speech)/calls/\(callID)", token: owner.token, orgHandle: "acme")
            let transcript = ((read.json["data"] as? [String: Any])?["transcript"] as? [[String: Any]] ?? []).map { $0["content"] as? String ?? "" }
            #expect(transcript == ["tell me a story", "Once upon "], "the reply as far as the caller heard it")

            // The SDK's sessions.end on the orchestrator plane ends a live call like a hangup.
            let second = try await Self.startCall(server, token: owner.token)
            let secondID = try #require(second["call_id"] as? String)
            let secondCaller = try Self.caller(second, server)
            let secondAssign = try await runner.waitFor("job.assign", count: 2)
            let secondBridge = try await Self.acceptAndDial(secondAssign, runner: runner, server)
            let end = try await server.request(.post, "/orchestrator/v1/sessions/\(secondID)/end", authorization: "Token \(owner.token)", orgHandle: "acme")
            #expect(end.status == .ok, "\(end.text)")
            #expect((end.json["data"] as? [String: Any])?["state"] as? String == "ended")
            #expect(try await secondCaller.waitFor("call.ended", key: "event")["end_reason"] as? String == "HANGUP_REQUESTED")
            #expect(await secondBridge.closeCode == 1000)
            let unknown = try await server.request(.post, "/orchestrator/v1/sessions/call_nope/end", authorization: "Token \(owner.token)", orgHandle: "acme")
            #expect(unknown.status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aCallPastItsLongestDurationIsEndedByTheServer(engine: TestDatabase) async throws {
        try await withServer(
            engine, configure: { $0.calls = CallConfiguration(maxCallDuration: .seconds(1)) }, seed: WorkspaceTests.seed
        ) { server, seed in
            let runner = try await Self.runner(server, token: seed.owner.token)
            let session = try await Self.startCall(server, token: seed.owner.token)
            let caller = try Self.caller(session, server)
            let assign = try await runner.waitFor("job.assign")
            let bridge = try await Self.acceptAndDial(assign, runner: runner, server)
            let ended = try await caller.waitFor("call.ended", key: "event")
            #expect(ended["status"] as? String == "connected" && ended["end_reason"] as? String == "MAX_DURATION_REACHED")
            #expect(await bridge.closeCode == 1000)
        }
    }
}
