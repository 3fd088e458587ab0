import Foundation
import NIOCore
import Testing
import UnpodClient
import UnpodCore
import UnpodPersistence
import UnpodTestSupport
@testable import UnpodServer

/// The cached bridge and call-log lists (issue 6's benchmark) never show a list older than a
/// write: at once on the node that wrote, within a poll on every other node and after the command line.
@Suite struct ListCacheTests {
    @Test func anAnswerReadBeforeAWriteIsNeverServedAfterIt() async throws {
        let cache = ListCache(capacity: 3)
        let key = ListCache.Key(orgID: 1, list: "bridges", query: "")
        let before = cache.version(orgID: 1)
        cache.invalidate(orgID: 1)  // a write commits while the old list is being read
        cache.store(ByteBuffer(string: "old"), for: key, readAt: before)
        #expect(cache.body(for: key) == nil)

        let fresh = try await cache.response(for: key) { ByteBuffer(string: "new") }
        #expect(String(buffer: fresh) == "new")
        #expect(try await cache.response(for: key) { Issue.record("read again"); return ByteBuffer() } == fresh)

        let other = ListCache.Key(orgID: 2, list: "bridges", query: "")
        _ = try await cache.response(for: other) { ByteBuffer(string: "theirs") }
        cache.invalidate(orgID: 2)
        #expect(cache.body(for: key) == fresh, "another organization's write keeps this one's lists")
        #expect(cache.body(for: other) == nil)
        cache.invalidateAll()
        #expect(cache.body(for: key) == nil)

        for page in 1...5 {
            _ = try await cache.response(for: .init(orgID: 1, list: "call-logs", query: "page=\(page)")) { ByteBuffer(string: "\(page)") }
        }
        #expect(cache.body(for: .init(orgID: 1, list: "call-logs", query: "page=5")) != nil)
        #expect(cache.body(for: .init(orgID: 1, list: "call-logs", query: "page=1")) == nil, "bounded: it started over")
    }

    /// PostgreSQL hands out ids before commit: an event that shows up below the last id seen still counts.
    @Test func theWatcherWaitsForSkippedIdsAndThenGivesUp() {
        var follower = DataChangeWatcher.Follower(last: 10)
        let start = ContinuousClock.now
        #expect(follower.absorb([(11, 1), (14, 2)], now: start, patience: .seconds(30)) == [1, 2])
        #expect(follower.last == 14 && follower.awaited == [12, 13])
        #expect(follower.absorb([(13, 3)], now: start + .seconds(1), patience: .seconds(30)) == [3])
        #expect(follower.awaited == [12])
        #expect(follower.absorb([], now: start + .seconds(31), patience: .seconds(30)).isEmpty)
        #expect(follower.awaited.isEmpty, "a rolled-back transaction's id is given up")
    }

    @Test(arguments: TestDatabase.all)
    func everyNodeListsWhatAnyNodeOrTheCommandLineWrote(_ engine: TestDatabase) async throws {
        try await withTestStore(engine) { store, database in
            let admin = try await Fixture.make(store)
            let first = try await ServerProcess(database: database.location)
            defer { first.stop() }
            let second = try await ServerProcess(database: database.location)
            defer { second.stop() }
            let viaFirst = UnpodClient(baseURL: first.baseURL, token: admin.token, orgHandle: "acme")
            let viaSecond = UnpodClient(baseURL: second.baseURL, token: admin.token, orgHandle: "acme")
            #expect(try await viaSecond.bridges().count == 0)  // cached on the second node

            // The node that writes lists its write at once.
            _ = try await viaSecond.createBridge(.init(name: "Support", slug: "support"))
            #expect(try await viaSecond.bridges().data.map(\.slug) == ["support"])
            #expect(try await viaSecond.bridges().data.map(\.slug) == ["support"])  // and from its cache

            // Another node's write reaches it within one poll (250 ms by default).
            _ = try await viaFirst.createBridge(.init(name: "Sales", slug: "sales"))
            try await expectWithinOneSecond { try await viaSecond.bridges().data.map(\.slug) == ["support", "sales"] }

            // So does the command line's (the store, audited as `cli`), for call logs too.
            let calls = try await viaSecond.callLogs()
            _ = try await store.createBridge(
                orgID: admin.organization.id, name: "Ops", slug: "ops", description: "", region: nil, actor: .cli)
            try await store.insertCallLogs(orgID: admin.organization.id, [
                    CallLog(
                        id: 0, callId: "cli-1", sourceNumber: "+14155550100", destinationNumber: "+14155550101",
                        callType: .inbound, callStatus: .missed, creationTime: Date().addingTimeInterval(3600), startTime: nil,
                        endTime: nil, callDuration: 0, endReason: nil)
                ])
            try await expectWithinOneSecond { try await viaSecond.bridges().count == 3 }
            try await expectWithinOneSecond { try await viaSecond.callLogs().count == calls.count + 1 }
            #expect(try await viaSecond.callLogs().data.first?.callId == "cli-1")
        }
    }

    private func expectWithinOneSecond(
        _ condition: () async throws -> Bool, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .seconds(1) {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("not seen within a second", sourceLocation: sourceLocation)
    }
}
