import AsyncHTTPClient
import Foundation
import Testing
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

/// Two nodes on PostgreSQL (issue 17, item 8, in part): a node killed with SIGKILL mid-call has its
/// calls ended `failed` by the surviving node within 10 s, with their call logs; no call stays in
/// flight. (Hanging up through another node: ``CallsAcrossNodesTests``.)
@Suite(.serialized) struct CallNodeTests {
    /// Several nodes share PostgreSQL only.
    @Test(arguments: TestDatabase.all.filter { $0 == .postgres })
    func aKilledNodesCallsEndFailedOnTheSurvivingNode(_ engine: TestDatabase) async throws {
        try await ScriptedModelServer.with { model in
            try await withTestStore(engine) { store, database in
                let seed = try await WorkspaceTests.seed(store)
                let token = seed.owner.token
                let doomed = try await ServerProcess(database: database.location, arguments: ["--llm-url", model.url])
                defer { doomed.stop() }
                let survivor = try await ServerProcess(database: database.location, arguments: ["--llm-url", model.url])
                defer { survivor.stop() }
                let (created, _) = try await PhoneCallTests.send(
                    .POST, doomed.baseURL + PhoneCallTests.speech + "/agents", token,
                    #"{"agent_id":"node-bot","brain":{"type":"prompt","ref":"Be brief."},"greeting":"Hello."}"#)
                #expect(created == 201)
                let (status, body) = try await PhoneCallTests.send(
                    .POST, doomed.baseURL + PhoneCallTests.speech + "/sessions/token", token, #"{"agent_id":"node-bot"}"#)
                #expect(status == 201)
                let session = try #require(body["data"] as? [String: Any])
                let callID = try #require(session["call_id"] as? String)
                let media = try #require(session["media_url"] as? String)
                let caller = SocketTestClient(url: media + "?token=\(session["token"] as? String ?? "")")
                try await eventually(within: 10) { caller.messages(ofType: "agent.say", key: "event").count == 1 }

                // Held by the live first node: the second reads it in flight.
                let held = try await PhoneCallTests.send(.GET, survivor.baseURL + PhoneCallTests.speech + "/calls/" + callID, token).1
                #expect((held["data"] as? [String: Any])?["status"] as? String == "active")

                doomed.kill()
                let killedAt = ContinuousClock.now
                var call: [String: Any] = [:]
                try await eventually(within: 15) {
                    call = try await PhoneCallTests.send(.GET, survivor.baseURL + PhoneCallTests.speech + "/calls/" + callID, token).1["data"]
                        as? [String: Any] ?? [:]
                    return call["status"] as? String == "failed"
                }
                #expect(ContinuousClock.now - killedAt < .seconds(10), "ended within 10 s")
                #expect(call["end_reason"] as? String == "the node that held the call stopped")
                let logs = try await PhoneCallTests.send(.GET, survivor.baseURL + "/api/v2/platform/call-logs/", token).1
                #expect((logs["data"] as? [[String: Any]])?.contains { $0["call_id"] as? String == callID && $0["call_status"] as? String == "failed" } == true)
            }
        }
    }
}
