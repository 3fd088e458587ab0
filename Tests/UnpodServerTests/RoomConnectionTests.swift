import Foundation
import Synchronization
import Testing
import UnpodClient
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

/// The Swift SDK's room client (issue 7, item 7) against the room server, over real WebSockets.
@Suite struct RoomConnectionTests {
    /// Collects a connection's events as they arrive.
    final class Recorder: Sendable {
        private let seen = Mutex<[RoomEvent]>([])
        var events: [RoomEvent] { seen.withLock { $0 } }

        func follow(_ stream: AsyncStream<RoomEvent>) {
            Task { for await event in stream { seen.withLock { $0.append(event) } } }
        }

        /// The first event matching `predicate` (waits up to 10 s).
        func first(_ what: String, where predicate: @escaping (RoomEvent) -> Bool) async throws -> RoomEvent {
            let start = ContinuousClock.now
            while ContinuousClock.now - start < .seconds(10) {
                if let event = events.first(where: predicate) { return event }
                try await Task.sleep(for: .milliseconds(10))
            }
            Issue.record("no \(what) within 10 s: \(events)")
            throw CancellationError()
        }
    }

    /// A refusal closed the instant the socket opens (no `refusalDelay`): the WebSocket client
    /// loses some of those close frames (a frame right behind the 101 answer), and the SDK then
    /// asks `GET /rtc/validate`; every connection reports the refusal's code and reason.
    @Test func everyRefusedConnectionLearnsWhyEvenWhenTheCloseFrameIsLost() async throws {
        try await withServer(.sqlite, configure: { $0.realtime.refusalDelay = .zero }, Self.refusals)
    }

    static let refusalCount = 200

    final class Outcomes: Sendable {
        let all = Mutex<[String]>([])
    }

    static func refusals(_ server: TestServer) async throws {
        let owner = try await Fixture.make(server.store)
        var builder = AccessTokenBuilder(
            keyID: owner.key.keyId, secret: owner.token, identity: "late", video: VideoGrant(roomJoin: true, room: "sdk"))
        builder.ttl = 60
        let expired = try await builder.build(now: server.clock.now().addingTimeInterval(-600))
        let outcomes = Outcomes()
        let url = "ws://127.0.0.1:\(server.port)"
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<Self.refusalCount {
                if index >= 40 { await group.next() }
                let token = index.isMultiple(of: 2) ? "nope" : expired
                group.addTask {
                    let connection = RoomConnection(serverURL: url, token: token)
                    for await event in connection.events {
                        guard case .closed(let code, let reason) = event else { continue }
                        outcomes.all.withLock { $0.append("\(code.map(String.init) ?? "none") \(reason ?? "")") }
                    }
                }
            }
        }
        let all = outcomes.all.withLock { $0 }
        #expect(all.count == refusalCount)
        #expect(all.filter { $0.hasPrefix("4001 invalid token") }.count == refusalCount / 2, "\(Set(all))")
        #expect(all.filter { $0 == "4002 token expired" }.count == refusalCount / 2, "\(Set(all))")
    }

    @Test(arguments: TestDatabase.all)
    func theSDKJoinsExchangesReconnectsAndLeaves(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            try await Self.scenario(server)
        }
    }

    static func scenario(_ server: TestServer) async throws {
        let owner = try await Fixture.make(server.store)
        let url = "ws://127.0.0.1:\(server.port)"
        func token(_ identity: String, ttl: TimeInterval) async throws -> String {
            var builder = AccessTokenBuilder(
                keyID: owner.key.keyId, secret: owner.token, identity: identity, video: VideoGrant(roomJoin: true, room: "sdk"))
            builder.ttl = ttl
            return try await builder.build(now: server.clock.now())
        }
        let alice = RoomConnection(serverURL: url, token: try await token("alice", ttl: 3600))
        let aliceEvents = Recorder()
        aliceEvents.follow(alice.events)
        guard case .joined(let aliceSid, let present, false) = try await aliceEvents.first("joined", where: { if case .joined = $0 { true } else { false } }) else {
            Issue.record("not joined")
            return
        }
        #expect(present.isEmpty && alice.sid == aliceSid)
        _ = try await aliceEvents.first("a refreshed token") { if case .tokenRefreshed = $0 { true } else { false } }

        let bob = RoomConnection(serverURL: url, token: try await token("bob", ttl: 60))
        let bobEvents = Recorder()
        bobEvents.follow(bob.events)
        _ = try await bobEvents.first("bob joined") { if case .joined(_, let others, _) = $0 { others.map(\.identity) == ["alice"] } else { false } }
        _ = try await aliceEvents.first("bob's arrival") { $0 == .participantJoined(.init(sid: bob.sid ?? "", identity: "bob")) }

        try await alice.send(data: "hello", topic: "chat")
        _ = try await bobEvents.first("alice's data") { $0 == .data(from: "alice", payload: "hello", topic: "chat") }

        // Bob's connection drops; his tokens (even the refreshed one) expire; he comes back as himself.
        let bobSid = try #require(bob.sid)
        _ = try await bobEvents.first("bob's refreshed token") { if case .tokenRefreshed = $0 { true } else { false } }
        try await bob.disconnect()
        _ = try await bobEvents.first("the drop") { if case .closed = $0 { true } else { false } }
        server.clock.advance(by: 700)
        bob.reconnect()
        let resumed = Recorder()
        resumed.follow(bob.events)
        _ = try await resumed.first("the resumed session") { $0 == .joined(sid: bobSid, participants: [.init(sid: aliceSid, identity: "alice")], reconnected: true) }
        try await alice.send(data: "welcome back", to: ["bob"])
        _ = try await resumed.first("data after the reconnect") { $0 == .data(from: "alice", payload: "welcome back", topic: nil) }
        #expect(!aliceEvents.events.contains { if case .participantLeft = $0 { true } else { false } })

        try await bob.leave()
        _ = try await resumed.first("the goodbye") { $0 == .closed(code: 1000, reason: "left the room") }
        _ = try await aliceEvents.first("bob's departure") { if case .participantLeft(let who) = $0 { who.identity == "bob" } else { false } }
        try await alice.disconnect()
    }
}
