import Foundation
import Testing
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

/// The analytics queue as stored (issue 18, item 1): a call's end queues one evaluation per active
/// block of its agent, with the block as it was then; an entry claimed by a node that stops is taken
/// over once its lease runs out, and the stopped node's late answer is refused (the claim fences it);
/// two claims at once never get the same entry.
@Suite struct AnalyticsQueueTests {
    @Test(arguments: TestDatabase.all)
    func anEntryOfAStoppedNodeIsTakenOverAndItsLateAnswerRefused(engine: TestDatabase) async throws {
        let clock = ManualClock()
        try await withTestStore(engine, clock: clock) { store, _ in
            let owner = try await Fixture.make(store)
            _ = try await store.createAgent(
                orgID: owner.organization.id, handle: "bot", name: "Bot", type: "Voice", purpose: "", voiceProfileID: nil,
                publish: true, actor: .cli)
            let agent = try #require(try await store.agent(handle: "bot"))
            let block = try await store.createAnalyticsBlock(
                orgID: owner.organization.id,
                AnalyticsBlockDefinition(name: "Q", prompt: "Q?", fields: [AnalyticsField(name: "n", type: .integer)]), actor: .cli)
            try await store.setAnalyticsBlockAttached(true, orgID: owner.organization.id, blockID: block.blockID, agent: agent, actor: .cli)
            let call = try await store.createCall(
                NewCall(orgID: owner.organization.id, agent: agent, direction: "web", callerToken: "t", nodeID: "node_a"), actor: .cli)
            let said = [TranscriptTurn(role: .user, content: "hello", timestamp: clock.now())]
            #expect(try await store.endCall(call.callID, status: .connected, endReason: "USER_HUNG_UP_IN_CALL", transcript: said))
            // The block changes after the call ended: the queued entry keeps the version it ended under.
            _ = try await store.updateAnalyticsBlock(orgID: owner.organization.id, blockID: block.blockID, actor: .cli) { $0.prompt = "Changed?" }

            let first = try await store.claimAnalytics(limit: 10, lease: 60)
            let taken = try #require(first.first)
            #expect(first.count == 1 && taken.attempt == 1 && taken.blockVersion == 1 && taken.definition.prompt == "Q?")
            #expect(taken.transcript == said && taken.callStatus == "connected")
            // While the lease holds, nobody else gets it.
            #expect(try await store.claimAnalytics(limit: 10, lease: 60).isEmpty)
            // The node stops; its lease runs out; another node takes the entry.
            clock.advance(by: 61)
            let second = try #require(try await store.claimAnalytics(limit: 10, lease: 60).first)
            #expect(second.rowID == taken.rowID && second.attempt == 2)
            // The first node's late answer is refused; the second's is stored.
            let answer = AnalyticsAnswerSchema.Answer(summary: "s", successEvaluation: .bool(true), data: ["n": .integer(1)])
            #expect(try await !store.finishAnalytics(taken, .ok(answer, model: "m", latencyMS: 5)))
            #expect(try await store.finishAnalytics(second, .ok(answer, model: "m", latencyMS: 7)))
            let results = try await store.analyticsResults(orgID: owner.organization.id, AnalyticsResultFilter(callID: call.callID))
            #expect(results.count == 1 && results.first?.status == .ok && results.first?.latencyMS == 7 && results.first?.attempts == 2)
            #expect(results.first?.blockVersion == 1 && results.first?.blockName == "Q")
        }
    }

    @Test(arguments: TestDatabase.all)
    func claimsAtOnceNeverShareAnEntry(engine: TestDatabase) async throws {
        try await withTestStore(engine) { store, _ in
            let owner = try await Fixture.make(store)
            _ = try await store.createAgent(
                orgID: owner.organization.id, handle: "bot", name: "Bot", type: "Voice", purpose: "", voiceProfileID: nil,
                publish: true, actor: .cli)
            let agent = try #require(try await store.agent(handle: "bot"))
            let block = try await store.createAnalyticsBlock(
                orgID: owner.organization.id, AnalyticsBlockDefinition(name: "Q", prompt: "Q?", fields: []), actor: .cli)
            try await store.setAnalyticsBlockAttached(true, orgID: owner.organization.id, blockID: block.blockID, agent: agent, actor: .cli)
            for index in 0..<40 {
                let call = try await store.createCall(
                    NewCall(orgID: owner.organization.id, agent: agent, direction: "web", callerToken: "t\(index)", nodeID: "n"), actor: .cli)
                _ = try await store.endCall(call.callID, status: .connected, endReason: nil, transcript: [])
            }
            let claimed = try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<4 { group.addTask { try await store.claimAnalytics(limit: 5, lease: 60).map(\.rowID) } }
                var all: [Int] = []
                for try await ids in group { all += ids }
                return all
            }
            #expect(claimed.count == 20, "four claims of five from forty entries: \(claimed.count)")
            #expect(Set(claimed).count == claimed.count, "an entry was claimed twice: \(claimed.sorted())")
        }
    }
}
