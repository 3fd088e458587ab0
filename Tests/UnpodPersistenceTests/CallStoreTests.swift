import Foundation
import Testing
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

/// Calls as stored (issue 17): ended once, with their transcript; none left in flight after a
/// single-node server restarts.
@Suite struct CallStoreTests {
    @Test(arguments: TestDatabase.all)
    func aCallEndsOnceAndARestartLeavesNoneInFlight(engine: TestDatabase) async throws {
        try await withTestStore(engine) { store, _ in
            let owner = try await Fixture.make(store)
            _ = try await store.createAgent(
                orgID: owner.organization.id, handle: "bot", name: "Bot", type: "Voice", purpose: "", voiceProfileID: nil,
                publish: true, actor: .cli)
            let agent = try #require(try await store.agent(handle: "bot"))
            let first = try await store.createCall(
                NewCall(orgID: owner.organization.id, agent: agent, direction: "web", callerToken: "secret-1", nodeID: "node_test"), actor: .cli)
            let second = try await store.createCall(
                NewCall(orgID: owner.organization.id, agent: agent, direction: "web", callerToken: "secret-2", nodeID: "node_test"), actor: .cli)
            #expect(try await store.callForCaller(first.callID, token: "secret-1")?.callID == first.callID)
            #expect(try await store.callForCaller(first.callID, token: "secret-2") == nil, "the other call's token")

            let said = [TranscriptTurn(role: .agent, content: "Hi", timestamp: Date(timeIntervalSince1970: 1_800_000_000))]
            #expect(try await store.markCall(first.callID, .active))
            #expect(try await store.endCall(first.callID, status: .connected, endReason: "AGENT_ENDED_CALL", transcript: said))
            #expect(try await !store.endCall(first.callID, status: .failed, endReason: "late", transcript: []), "ended once")
            #expect(try await !store.markCall(first.callID, .active), "an ended call stays ended")

            #expect(try await store.failCallsInFlight(reason: "the server restarted during the call") == 1)
            let ended = try #require(try await store.call(first.callID, orgID: owner.organization.id))
            #expect(ended.status == .connected && ended.transcript == said && ended.transcriptTurns == 1)
            let orphan = try #require(try await store.call(second.callID, orgID: owner.organization.id))
            #expect(orphan.status == .failed && orphan.endReason == "the server restarted during the call")
            #expect(try await store.failCallsInFlight(reason: "again") == 0)
        }
    }
}
