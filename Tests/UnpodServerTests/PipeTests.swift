import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing
import UnpodCore
import UnpodPersistence
import UnpodServer
import UnpodTestSupport

/// Pipes, the embedded agent and the views of calls (issue 17, item 3): `agent/voice` from a
/// prompt makes an agent and the pipe that reaches it; a session made with the pipe's id converses
/// with that agent; sessions, transcripts and `calls?pipe_id=` read it back; recordings are none.
@Suite struct PipeTests {
    static let speech = "/api/v2/platform/speech/v1"

    @Test(arguments: TestDatabase.all)
    func anEmbeddedAgentsPipeTakesSessions(engine: TestDatabase) async throws {
        try await ScriptedModelServer.with { model in
            try await withServer(
                engine, configure: { $0.calls.languageModel = LanguageModelConfiguration(url: model.url) }, seed: WorkspaceTests.seed
            ) { server, seed in
                let token = seed.owner.token
                func send(_ method: HTTPRequest.Method, _ path: String, _ json: String? = nil) async throws -> TestResponse {
                    try await server.request(method, Self.speech + path, authorization: "Token \(token)", orgHandle: "acme", json: json)
                }
                let created = try await send(
                    .post, "/agent/voice", #"{"name":"Front desk","prompt":"You answer the phone.","recording":false,"max_call_duration_s":600,"background_sound":"office"}"#)
                #expect(created.status.code == 201, "\(created.text)")
                let pipe = try #require(created.json["data"] as? [String: Any])
                let pipeID = try #require(pipe["pipe_id"] as? String)
                let agentID = try #require(pipe["agent_id"] as? String)
                #expect(agentID.hasPrefix("front-desk-") && pipe["max_call_duration_s"] as? Int == 600 && pipe["background_sound"] as? String == "office")
                // The embedded agent is an agent of the organization with a prompt brain.
                let agent = try await send(.get, "/agents/" + agentID)
                #expect(((agent.json["data"] as? [String: Any])?["brain"] as? [String: Any])?["type"] as? String == "prompt")

                let session = try #require(
                    try await send(.post, "/sessions/token", #"{"pipe_id":"\#(pipeID)","metadata":{"source":"test"}}"#).json["data"] as? [String: Any])
                let callID = try #require(session["call_id"] as? String)
                let caller = try WebCallTests.caller(session, server)
                try await eventually(within: 10) { caller.messages(ofType: "call.status", key: "event").contains { $0["status"] as? String == "active" } }
                try await caller.send(#"{"event":"user.text","text":"are you open?"}"#)
                try await caller.waitFor("agent.text.end", key: "event")
                try await caller.send(#"{"event":"hangup"}"#)
                try await caller.waitFor("call.ended", key: "event")

                let read = try #require(try await send(.get, "/sessions/" + callID).json["data"] as? [String: Any])
                #expect(read["session_id"] as? String == callID && read["pipe_id"] as? String == pipeID && read["status"] as? String == "ended")
                #expect((read["transcript"] as? [[String: Any]])?.map { $0["content"] as? String ?? "" } == [
                    "are you open?", "You said: are you open?. Anything else?",
                ])
                #expect((try await send(.get, "/calls?pipe_id=" + pipeID).json["data"] as? [[String: Any]])?.count == 1)
                #expect((try await send(.get, "/calls?pipe_id=pipe_other").json["data"] as? [[String: Any]])?.isEmpty == true)
                #expect((try await send(.get, "/transcripts").json["data"] as? [[String: Any]])?.first?["session_id"] as? String == callID)
                let recordings = try await send(.get, "/recordings?call_id=" + callID)
                #expect(recordings.status == .ok && (recordings.json["data"] as? [Any])?.isEmpty == true)
                #expect(try await send(.get, "/recordings?call_id=call_nope").status == .notFound)

                // A pipe for an existing agent, changed and deleted; what is wrong is said.
                let bound = try await send(.post, "/pipes", #"{"name":"Sales","agent_id":"sales-bot","voice_profile":"VP_openai_alloy"}"#)
                let boundID = try #require((bound.json["data"] as? [String: Any])?["pipe_id"] as? String)
                let renamed = try await send(.patch, "/pipes/" + boundID, #"{"name":"Sales EU","first_speaker":"user"}"#)
                #expect((renamed.json["data"] as? [String: Any])?["name"] as? String == "Sales EU")
                #expect((renamed.json["data"] as? [String: Any])?["first_speaker"] as? String == "user")
                #expect((try await send(.get, "/pipes").json["data"] as? [[String: Any]])?.count == 2)
                #expect(try await send(.delete, "/pipes/" + boundID).status == .ok)
                #expect(try await send(.get, "/pipes/" + boundID).status == .notFound)
                #expect(try await send(.post, "/agent/voice", #"{"name":"Two","prompt":"a","agent_endpoint":"http://x.example/v1"}"#).status == .badRequest)
                #expect(try await send(.post, "/agent/voice", #"{"name":"None"}"#).status == .badRequest)
                #expect(try await send(.post, "/agent/voice", #"{"name":"Theirs","agent_id":"their-bot"}"#).status == .notFound)
                #expect(try await send(.post, "/pipes", #"{"name":"Bad","agent_endpoint":"ftp://x"}"#).status == .badRequest)
                #expect(try await send(.post, "/sessions/token", #"{"pipe_id":"pipe_nope"}"#).status == .notFound)
                let actions = try await server.store.database.withConnection { db in
                    try await db.raw("SELECT action FROM audit_events WHERE target_type = 'pipe' ORDER BY id").all()
                        .map { try $0.decode(column: "action", as: String.self) }
                }
                #expect(actions == ["pipe.created", "pipe.created", "pipe.updated", "pipe.deleted"])
            }
        }
    }
}
