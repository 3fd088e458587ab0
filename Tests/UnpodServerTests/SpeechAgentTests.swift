import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

/// The speech plane's agents (issue 17, item 3): an agent's brain, voices and limits as the SDK's
/// `client.agents` writes and reads them; an endpoint's key sealed and masked; every write audited.
@Suite struct SpeechAgentTests {
    static let agents = "/api/v2/platform/speech/v1/agents"

    static func send(
        _ server: TestServer, _ method: HTTPRequest.Method, _ path: String, _ token: String, _ json: String? = nil, org: String = "acme"
    ) async throws -> TestResponse {
        try await server.request(method, path, authorization: "Token \(token)", orgHandle: org, json: json)
    }

    /// A refusal: its status and envelope (a 400's `errors` says what is wrong).
    static func expectRefusal(_ response: TestResponse, _ expected: APIError, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status.code == expected.statusCode, sourceLocation: sourceLocation)
        #expect(response.error == expected, "body: \(response.text)", sourceLocation: sourceLocation)
    }

    @Test(arguments: TestDatabase.all)
    func agentsAreCreatedReadChangedAndDeletedAsTheSDKDoes(engine: TestDatabase) async throws {
        try await withServer(engine, seed: WorkspaceTests.seed) { server, seed in
            let token = seed.owner.token
            let created = try await Self.send(
                server, .post, Self.agents, token,
                #"{"agent_id":"support-bot","name":"Support","brain":{"type":"endpoint","ref":"https://llm.example.com/v1","cfg":{"model":"m-1","api_key":"sk-live-secret-123","timeout_s":5,"headers":{"X-Team":"a"}}},"recording":false,"max_call_duration_s":600,"max_concurrent":2,"voice_profile":"VP_openai_alloy","greeting":"Hello!","background_sound":"office"}"#
            )
            #expect(created.status.code == 201, "\(created.text)")
            let voice = try #require(created.json["data"] as? [String: Any])
            #expect(voice["agent_id"] as? String == "support-bot" && voice["voice_profile_id"] as? String == "VP_openai_alloy")
            #expect(voice["voice_profile_name"] as? String == "Alloy" && voice["is_default"] as? Bool == true)
            #expect(voice["background_sound"] as? String == "office" && voice["brain_execution"] as? String == "bridge")
            let brain = try #require(voice["brain"] as? [String: Any])
            let cfg = try #require(brain["cfg"] as? [String: Any])
            // The key is masked on every read and stored sealed, never as written.
            #expect(brain["type"] as? String == "endpoint" && cfg["api_key"] as? String == "********" && cfg["model"] as? String == "m-1")
            #expect(!created.text.contains("sk-live-secret-123"))
            let stored = try await server.store.database.withConnection { db in
                try await db.raw("SELECT brain_key_sealed, brain_cfg FROM speech_agents").all()
            }
            #expect(stored.count == 1)
            for row in stored {
                #expect(try !row.decode(column: "brain_key_sealed", as: String.self).contains("sk-live"))
                #expect(try !row.decode(column: "brain_cfg", as: String.self).contains("sk-live"))
            }
            let opened = try await server.store.brain(agentRowID: try #require(await server.store.agent(handle: "support-bot")).rowID)
            #expect(opened?.apiKey == "sk-live-secret-123" && opened?.settings.maxConcurrent == 2)

            // The same agent on the workspace plane (AGT-1), and every agent of the organization here.
            let workspace = try await server.get("/api/v2/platform/agents/", token: token, orgHandle: "acme")
            #expect(workspace.text.contains("support-bot"))
            let list = try await Self.send(server, .get, Self.agents, token)
            let listed = try #require(list.json["data"] as? [[String: Any]])
            #expect(listed.map { $0["agent_id"] as? String } == ["sales-bot", "draft-bot", "support-bot"])
            #expect((listed[0]["brain"] as? [String: Any])?["type"] as? String == "none")

            // An update: any subset, free keys kept, the brain replaced (the key goes with an endpoint brain).
            let updated = try await Self.send(
                server, .put, Self.agents + "/support-bot", token,
                #"{"brain":{"type":"prompt","ref":"You are terse."},"max_concurrent":4,"first_speaker":"agent","tools":{"handover":{"numbers":["+1555"]}}}"#)
            #expect(updated.status == .ok, "\(updated.text)")
            let agent = try #require(updated.json["data"] as? [String: Any])
            #expect((agent["brain"] as? [String: Any])?["ref"] as? String == "You are terse." && agent["max_concurrent"] as? Int == 4)
            #expect((agent["extra"] as? [String: Any])?["first_speaker"] as? String == "agent")
            #expect((agent["voices"] as? [[String: Any]])?.count == 1 && agent["max_call_duration_s"] as? Int == 600)
            #expect(try await server.store.brain(agentRowID: try #require(await server.store.agent(handle: "support-bot")).rowID)?.apiKey == nil)

            // Voices: a second one, made the default; the default removed passes to the other.
            let added = try await Self.send(server, .post, Self.agents + "/support-bot/voices", token, #"{"voice_profile":"VP_sarvam_anushka","greeting":"Namaste"}"#)
            #expect(added.status.code == 201 && (added.json["data"] as? [String: Any])?["is_default"] as? Bool == false, "\(added.text)")
            let again = try await Self.send(server, .post, Self.agents + "/support-bot/voices", token, #"{"voice_profile":"VP_sarvam_anushka"}"#)
            #expect(again.status == .conflict)
            let made = try await Self.send(server, .patch, Self.agents + "/support-bot/voices/VP_sarvam_anushka", token, #"{"is_default":true}"#)
            #expect((made.json["data"] as? [String: Any])?["is_default"] as? Bool == true)
            let removed = try await Self.send(server, .delete, Self.agents + "/support-bot/voices/VP_sarvam_anushka", token)
            #expect(removed.status == .ok)
            let after = try await Self.send(server, .get, Self.agents + "/support-bot", token)
            let voices = try #require((after.json["data"] as? [String: Any])?["voices"] as? [[String: Any]])
            #expect(voices.map { $0["voice_profile_id"] as? String } == ["VP_openai_alloy"] && voices.first?["is_default"] as? Bool == true)
            Self.expectRefusal(
                try await Self.send(server, .delete, Self.agents + "/support-bot/voices/VP_nope", token), .notFound("Voice not found."))

            // Deleted here: gone from the plane, archived on the workspace's, and created again.
            #expect(try await Self.send(server, .delete, Self.agents + "/support-bot", token).status == .ok)
            Self.expectRefusal(try await Self.send(server, .get, Self.agents + "/support-bot", token), .notFound("Agent not found."))
            let recreated = try await Self.send(server, .post, Self.agents, token, #"{"agent_id":"support-bot","brain":{"type":"runner"}}"#)
            #expect(recreated.status.code == 201, "\(recreated.text)")

            let actions = try await server.store.database.withConnection { db in
                try await db.raw("SELECT action FROM audit_events WHERE target_id = 'support-bot' ORDER BY id").all()
                    .map { try $0.decode(column: "action", as: String.self) }
            }
            #expect(actions == [
                "speech_agent.created", "speech_agent.updated", "speech_agent.voice_added", "speech_agent.voice_updated",
                "speech_agent.voice_removed", "speech_agent.deleted", "speech_agent.created",
            ])
        }
    }

    @Test(arguments: TestDatabase.all)
    func badSettingsAreRefusedWithWhatIsWrong(engine: TestDatabase) async throws {
        try await withServer(engine, seed: WorkspaceTests.seed) { server, seed in
            let token = seed.owner.token
            func refused(_ body: String, _ detail: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
                Self.expectRefusal(try await Self.send(server, .post, Self.agents, token, body), .invalidParameters(detail), sourceLocation: sourceLocation)
            }
            try await refused(#"{"agent_id":"x1","brain":{"type":"prompt"}}"#, "a prompt brain needs ref: the prompt's text")
            try await refused(#"{"agent_id":"x1","brain":{"type":"endpoint","ref":"ftp://x"}}"#, "an endpoint brain needs ref: an http or https URL of an OpenAI-compatible API")
            try await refused(
                #"{"agent_id":"x1","brain":{"type":"endpoint","ref":"http://x.example","cfg":{"timeout_s":0}}}"#,
                "brain.cfg.timeout_s must be from 0.1 to 300 seconds")
            try await refused(#"{"agent_id":"x1","brain":{"type":"runner"},"voice_profile":"VP_nope"}"#,
                "voice_profile VP_nope is not a voice profile of the catalogue (GET /voice-profiles/)")
            // The handle of a workspace agent with no brain takes the settings; one with a brain is a conflict.
            let taken = try await Self.send(server, .post, Self.agents, token, #"{"agent_id":"sales-bot","brain":{"type":"runner"}}"#)
            #expect(taken.status.code == 201)
            let twice = try await Self.send(server, .post, Self.agents, token, #"{"agent_id":"sales-bot","brain":{"type":"runner"}}"#)
            Self.expectRefusal(twice, .conflict("An agent with agent_id sales-bot already exists."))
            // Another organization's handle is a conflict too (handles are global), and its agent is not found here.
            Self.expectRefusal(
                try await Self.send(server, .post, Self.agents, token, #"{"agent_id":"their-bot","brain":{"type":"runner"}}"#),
                .conflict("An agent with agent_id their-bot already exists."))
            Self.expectRefusal(try await Self.send(server, .get, Self.agents + "/their-bot", token), .notFound("Agent not found."))
            Self.expectRefusal(
                try await Self.send(server, .put, Self.agents + "/sales-bot", token, #"{"max_concurrent":0}"#),
                .invalidParameters("max_concurrent must be a whole number from 1 to 1000"))
            Self.expectRefusal(
                try await Self.send(server, .put, Self.agents + "/sales-bot", token, #"{"brain":{"type":"magic"}}"#),
                .invalidParameters("brain.type must be runner, prompt, endpoint or playbook"))
        }
    }
}
