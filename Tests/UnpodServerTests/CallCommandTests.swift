import Foundation
import Testing
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

/// `unpod call` and `unpod calls` (issue 17, item 7) against the real server binary, with a runner
/// that echoes over the SDK's frames: the turns go in order, each after the previous reply, and the
/// printed call is the conversation.
@Suite struct CallCommandTests {
    /// A runner for `sales-bot` that greets, echoes each turn in three deltas, and ends the call on "bye".
    static func echoRunner(baseURL: String, token: String) -> Task<Void, any Error> {
        Task {
            let port = Int(baseURL.split(separator: ":").last ?? "0") ?? 0
            let runner = SocketTestClient(
                url: "ws://127.0.0.1:\(port)/v1/internal/workers",
                headers: [.authorization: "Token \(token)", .init("Org-Handle")!: "acme"])
            try await runner.send(RunnerSocketTests.register())
            try await runner.waitFor("registered")
            let assign = try await runner.waitFor("job.assign")
            try await runner.send(
                #"{"type":"job.ack","job_id":"\#(assign["job_id"] as? String ?? "")","assign_id":"\#(assign["assign_id"] as? String ?? "")","accepted":true,"reason":null}"#)
            let bridgeURL = WebCallTestsURL.local(assign["bridge_url"] as? String ?? "", port: port)
            let bridge = SocketTestClient(url: bridgeURL + "?token=\(assign["call_token"] as? String ?? "")")
            try await bridge.send(#"{"event":"hello","protocol_version":2}"#)
            try await bridge.waitFor("call.started", key: "event")
            try await bridge.send(#"{"event":"agent.say","text":"Hi! How can I help you today?"}"#)
            var answered = 0
            while !Task.isCancelled {
                let turns = bridge.messages(ofType: "user.text", key: "event")
                if turns.count > answered {
                    let text = turns[answered]["text"] as? String ?? ""
                    answered += 1
                    if text == "bye" {
                        try await bridge.send(#"{"event":"agent.text.delta","text":"Goodbye!"}"#)
                        try await bridge.send(#"{"event":"agent.text.end"}"#)
                        try await bridge.send(#"{"event":"agent.end_call","reason":"completed"}"#)
                        return
                    }
                    for delta in ["You said ", "\(text). ", "Anything else?"] {
                        try await bridge.send(#"{"event":"agent.text.delta","text":"\#(delta)"}"#)
                    }
                    try await bridge.send(#"{"event":"agent.text.end"}"#)
                }
                try await Task.sleep(for: .milliseconds(10))
            }
        }
    }

    /// Runs the binary off the concurrency pool (it waits for the process).
    static func unpod(_ arguments: [String], environment: [String: String]) async throws -> (status: Int32, output: String) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try UnpodBinary.run(arguments, environment: environment) })
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func unpodCallSaysEachTurnAfterThePreviousReplyAndPrintsTheCall(_ engine: TestDatabase) async throws {
        try await withTestStore(engine) { store, database in
            let world = try await WorkerEndToEndTests.world(store)
            let server = try await ServerProcess(database: database.location)
            defer { server.stop() }
            let runner = Self.echoRunner(baseURL: server.baseURL, token: world.owner.token)
            defer { runner.cancel() }
            let environment = testSecretsEnvironment.merging(["UNPOD_API_KEY": world.owner.token, "UNPOD_ORG_HANDLE": "acme"]) { $1 }
            let result = try await Self.unpod(
                ["call", "--agent", "sales-bot", "--url", server.baseURL, "--say", "hello", "--say", "how are you", "--say", "bye", "--json"],
                environment: environment)
            #expect(result.status == 0, "\(result.output)")
            let call = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
            #expect(call["status"] as? String == "connected" && call["end_reason"] as? String == "AGENT_ENDED_CALL")
            let transcript = (call["transcript"] as? [[String: Any]] ?? []).map { "\($0["role"] ?? ""): \($0["content"] ?? "")" }
            #expect(transcript == [
                "agent: Hi! How can I help you today?", "user: hello", "agent: You said hello. Anything else?",
                "user: how are you", "agent: You said how are you. Anything else?", "user: bye", "agent: Goodbye!",
            ])
            let callID = try #require(call["call_id"] as? String)
            let listed = try await Self.unpod(["calls", "list", "--url", server.baseURL], environment: environment)
            #expect(listed.status == 0 && listed.output.contains(callID) && listed.output.contains("connected"), "\(listed.output)")
            let read = try await Self.unpod(["calls", "get", callID, "--url", server.baseURL], environment: environment)
            #expect(read.output.contains("\"transcript_turns\":7"), "\(read.output)")
            // Without a key, a clear refusal.
            let keyless = try await Self.unpod(["call", "--agent", "sales-bot", "--url", server.baseURL, "--say", "hi"], environment: ["UNPOD_ORG_HANDLE": "acme"])
            #expect(keyless.status != 0)
        }
    }
}

/// URLs the server answers, pointed at the test server's port.
enum WebCallTestsURL {
    static func local(_ url: String, port: Int) -> String {
        guard let range = url.range(of: "://") else { return url }
        let rest = url[range.upperBound...]
        let path = rest.firstIndex(of: "/").map { String(rest[$0...]) } ?? "/"
        return "ws://127.0.0.1:\(port)\(path)"
    }
}
