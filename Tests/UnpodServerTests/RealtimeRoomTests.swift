import Foundation
import Testing
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

/// The room server over real WebSockets (issue 7, items 4 and 5), on SQLite and PostgreSQL.
/// One test at a time: the slow-consumer flood (30 MB) would otherwise load the two cores the
/// other tests' sockets share.
@Suite(.serialized) struct RealtimeRoomTests {
    static func token(
        _ owner: Fixture, identity: String, room: String = "support", now: Date, ttl: TimeInterval = 3600,
        _ configure: (inout VideoGrant) -> Void = { _ in }
    ) async throws -> String {
        var grant = VideoGrant(roomJoin: true, room: room)
        configure(&grant)
        var builder = AccessTokenBuilder(keyID: owner.key.keyId, secret: owner.token, identity: identity, video: grant)
        builder.ttl = ttl
        return try await builder.build(now: now)
    }

    /// `GET /rtc/validate` with this query: its HTTP status and the close code it names (nil when valid).
    static func validate(_ server: TestServer, _ query: [String: String]) async throws -> (status: Int, code: Int?) {
        let items = query.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0.value)" }
        let response = try await server.client.execute(uri: "/rtc/validate?" + items.joined(separator: "&"), method: .get, headers: [:], body: nil)
        let json = (try? JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8))) as? [String: Any] ?? [:]
        return (response.status.code, json["code"] as? Int)
    }

    @Test(arguments: TestDatabase.all)
    func participantsSeeEachOtherAndDataFollowsTheGrants(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            try await Self.participantsScenario(server)
        }
    }

    static func participantsScenario(_ server: TestServer) async throws {
        let owner = try await Fixture.make(server.store)
        let now = server.clock.now()
        let alice = SocketTestClient.connect(port: server.port, ["access_token": try await token(owner, identity: "alice", now: now)])
        let joined = try await alice.waitFor("joined")
        #expect(joined["room"] as? String == "support" && joined["identity"] as? String == "alice" && joined["v"] as? Int == 1)
        #expect((joined["participants"] as? [Any])?.isEmpty == true && (joined["sid"] as? String)?.hasPrefix("PA_") == true)
        // A refreshed token right away, valid for at least 10 minutes, for the same identity and room.
        let refreshed = try #require(try await alice.waitFor("token")["token"] as? String)
        let claims = try AccessTokenVerifier(keyID: owner.key.keyId, secret: owner.token).verify(refreshed, now: now)
        #expect(claims.sub == "alice" && claims.video?.room == "support" && claims.exp! >= Int64(now.timeIntervalSince1970) + 600)

        let bob = SocketTestClient.connect(port: server.port, ["access_token": try await token(owner, identity: "bob", now: now) { $0.canUpdateOwnMetadata = true }])
        let bobJoined = try await bob.waitFor("joined")
        #expect((bobJoined["participants"] as? [[String: Any]])?.map { $0["identity"] as? String } == ["alice"])
        #expect(try await alice.waitFor("participant_joined")["participant"].flatMap { ($0 as? [String: Any])?["identity"] as? String } == "bob")

        let observer = SocketTestClient.connect(port: server.port, ["access_token": try await token(owner, identity: "observer", now: now) { $0.hidden = true }])
        let observed = try await observer.waitFor("joined")
        #expect(Set((observed["participants"] as? [[String: Any]] ?? []).compactMap { $0["identity"] as? String }) == ["alice", "bob"])
        let deaf = SocketTestClient.connect(port: server.port, ["access_token": try await token(owner, identity: "deaf", now: now) { $0.canSubscribe = false }])
        try await deaf.waitFor("joined")
        let quiet = SocketTestClient.connect(port: server.port, ["access_token": try await token(owner, identity: "quiet", now: now) { $0.canPublish = false }])
        try await quiet.waitFor("joined")
        try await alice.waitFor("participant_joined", count: 3)  // bob, deaf, quiet: never the hidden observer
        #expect(!alice.messages(ofType: "participant_joined").contains { ($0["participant"] as? [String: Any])?["identity"] as? String == "observer" })

        try await alice.send(#"{"type": "data", "v": 1, "payload": "hello all", "topic": "chat"}"#)
        let data = try await bob.waitFor("data")
        #expect(data["from"] as? String == "alice" && data["payload"] as? String == "hello all" && data["topic"] as? String == "chat")
        try await observer.waitFor("data")
        try await alice.send(#"{"type": "data", "payload": "for bob", "to": ["bob"]}"#)
        #expect(try await bob.waitFor("data", count: 2)["payload"] as? String == "for bob")
        try await quiet.send(#"{"type": "data", "payload": "may I?"}"#)
        #expect(try await quiet.waitFor("error")["code"] as? String == "4003")
        try await alice.send(#"{"type": "data", "payload": "last"}"#)
        try await bob.waitFor("data", count: 3)
        try await observer.waitFor("data", count: 2)
        #expect(observer.messages(ofType: "data").map { $0["payload"] as? String } == ["hello all", "last"])
        #expect(deaf.messages(ofType: "data").isEmpty, "canSubscribe false receives no data")
        #expect(!bob.messages(ofType: "data").contains { $0["payload"] as? String == "may I?" })

        try await alice.send(#"{"type": "metadata", "metadata": "{\"busy\": true}"}"#)
        #expect(try await alice.waitFor("error")["code"] as? String == "4003", "canUpdateOwnMetadata is off by default")
        try await bob.send(#"{"type": "metadata", "metadata": "away"}"#)
        #expect((try await alice.waitFor("metadata_changed")["participant"] as? [String: Any])?["metadata"] as? String == "away")
        try await alice.send(#"{"type": "shout"}"#)
        #expect(try await alice.waitFor("error", count: 2)["code"] as? String == "4006")

        try await bob.send(#"{"type": "leave"}"#)
        #expect(await bob.closeCode == 1000)
        #expect((try await alice.waitFor("participant_left")["participant"] as? [String: Any])?["identity"] as? String == "bob")
        for client in [alice, observer, deaf, quiet] { try await client.drop() }
    }

    @Test(arguments: TestDatabase.all)
    func refusalsCloseWithTheirOwnCodes(_ engine: TestDatabase) async throws {
        try await withServer(engine, configure: { $0.realtime.participantCap = 2 }) { server in
            try await Self.refusalsScenario(server)
        }
    }

    static func refusalsScenario(_ server: TestServer) async throws {
        let owner = try await Fixture.make(server.store)
        let now = server.clock.now()
        // Each refusal's close code on the socket, and the same code from GET /rtc/validate (what
        // the SDK asks when the close frame is lost), with its HTTP status.
        func code(_ query: [String: String]) async -> Int? {
            let closed = await SocketTestClient.refusal(port: server.port, query)
            let validated = try? await Self.validate(server, query)
            #expect(validated?.code == closed, "/rtc/validate said \(String(describing: validated)) for \(query.keys.sorted())")
            let expected: Int? = switch closed {
            case 4001, 4002: 401
            case 4005: 409
            default: 403
            }
            #expect(validated?.status == expected)
            return closed
        }

        #expect(await code([:]) == 4001)
        // Malformed queries are refusals, never a crash.
        for target in ["/rtc/validate?=", "/rtc/validate?&=&==x&access_token", "/rtc/validate?%zz=%"] {
            let response = try await server.client.execute(uri: target, method: .get, headers: [:], body: nil)
            #expect(response.status == .unauthorized, "\(target)")
        }
        #expect(await SocketTestClient.refusal(url: "ws://127.0.0.1:\(server.port)/rtc?=") == 4001)
        #expect(await code(["access_token": "not.a.token"]) == 4001)
        let good = try await token(owner, identity: "a", now: now)
        #expect(await code(["access_token": good.dropLast(2) + "AA"]) == 4001, "a bad signature")
        #expect(await code(["access_token": try await token(owner, identity: "a", now: now) { $0.roomJoin = false }]) == 4003)
        let shortLived = try await token(owner, identity: "a", now: now, ttl: 60)
        server.clock.advance(by: 121)
        #expect(await code(["access_token": shortLived]) == 4002, "expired at the first connection")
        #expect(await code(["access_token": shortLived, "reconnect": "1", "sid": "PA_unknown"]) == 4002, "no session to resume")

        let later = server.clock.now()
        let valid = try await Self.validate(server, ["access_token": try await token(owner, identity: "one", now: later)])
        #expect(valid.status == 200 && valid.code == nil)
        let first = SocketTestClient.connect(port: server.port, ["access_token": try await token(owner, identity: "one", now: later)])
        try await first.waitFor("joined")
        let second = SocketTestClient.connect(port: server.port, ["access_token": try await token(owner, identity: "two", now: later)])
        try await second.waitFor("joined")
        #expect(await code(["access_token": try await token(owner, identity: "three", now: later)]) == 4005)

        // A second connection of the same identity replaces the first, which is told so.
        let again = SocketTestClient.connect(port: server.port, ["access_token": try await token(owner, identity: "one", now: later)])
        try await again.waitFor("joined")
        #expect(await first.closeCode == 4007)

        // A revoked key's tokens are refused.
        let other = try await server.store.createAPIKey(
            userID: owner.user.id, name: "short", scopes: .all, organization: nil, expiresAt: nil)
        let builder = AccessTokenBuilder(
            keyID: other.keyId, secret: other.token, identity: "x", video: VideoGrant(roomJoin: true, room: "lobby"))
        let revokedToken = try await builder.build(now: later)
        try await server.store.revokeAPIKey(other.keyId, of: .anyone)
        #expect(await code(["access_token": revokedToken]) == 4001)
        for client in [second, again] { try await client.drop() }
    }

    /// A revoked key's tokens are refused even on reconnect; a rotated key's tokens work until its grace ends.
    @Test(arguments: TestDatabase.all)
    func revokedAndRotatedKeys(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            try await Self.keysScenario(server)
        }
    }

    static func keysScenario(_ server: TestServer) async throws {
        let owner = try await Fixture.make(server.store)
        func key(_ name: String) async throws -> CreatedAPIKey {
            try await server.store.createAPIKey(userID: owner.user.id, name: name, scopes: .all, organization: nil, expiresAt: nil)
        }
        func token(_ key: CreatedAPIKey, _ identity: String) async throws -> String {
            try await AccessTokenBuilder(keyID: key.keyId, secret: key.token, identity: identity, video: VideoGrant(roomJoin: true, room: "keys"))
                .build(now: server.clock.now())
        }
        let doomed = try await key("doomed")
        let doomedToken = try await token(doomed, "dana")
        let dana = SocketTestClient.connect(port: server.port, ["access_token": doomedToken])
        let sid = try #require(try await dana.waitFor("joined")["sid"] as? String)
        try await dana.drop()
        try await server.store.revokeAPIKey(doomed.keyId, of: .anyone)
        let back = SocketTestClient.connect(port: server.port, ["access_token": doomedToken, "reconnect": "1", "sid": sid])
        #expect(await back.closeCode == 4001, "a revoked key's token is refused on reconnect too")

        let rotating = try await key("rotating")
        let oldToken = try await token(rotating, "rita")
        _ = try await server.store.rotateAPIKey(rotating.keyId, of: .anyone, grace: 60, expiresIn: nil)
        let during = SocketTestClient.connect(port: server.port, ["access_token": oldToken])
        try await during.waitFor("joined")
        try await during.drop()
        server.clock.advance(by: 61)
        #expect(await SocketTestClient.refusal(port: server.port, ["access_token": oldToken]) == 4001, "past the grace")
    }

    @Test(arguments: TestDatabase.all)
    func reconnectsKeepTheSessionEvenWithAnExpiredToken(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            try await Self.reconnectScenario(server)
        }
    }

    static func reconnectScenario(_ server: TestServer) async throws {
        let owner = try await Fixture.make(server.store)
        let now = server.clock.now()
        let aliceToken = try await token(owner, identity: "alice", now: now, ttl: 120)
        let alice = SocketTestClient.connect(port: server.port, ["access_token": aliceToken])
        let sid = try #require(try await alice.waitFor("joined")["sid"] as? String)
        let bob = SocketTestClient.connect(port: server.port, ["access_token": try await token(owner, identity: "bob", now: now, ttl: 7200)])
        try await bob.waitFor("joined")
        try await alice.waitFor("participant_joined")

        try await alice.drop()
        server.clock.advance(by: 600)  // alice's token has expired
        let back = SocketTestClient.connect(port: server.port, ["access_token": aliceToken, "reconnect": "1", "sid": sid])
        let resumed = try await back.waitFor("joined")
        #expect(resumed["sid"] as? String == sid && resumed["reconnected"] as? Bool == true)
        #expect((resumed["participants"] as? [[String: Any]])?.map { $0["identity"] as? String } == ["bob"])
        try await bob.send(#"{"type": "data", "payload": "still there?"}"#)
        #expect(try await back.waitFor("data")["payload"] as? String == "still there?")
        #expect(bob.messages(ofType: "participant_left").isEmpty && bob.messages(ofType: "participant_joined").isEmpty)

        // The same expired token, without a session to resume, is refused.
        #expect(await SocketTestClient.refusal(port: server.port, ["access_token": aliceToken]) == 4002)
        try await back.drop()
        try await bob.drop()
    }

    @Test(arguments: TestDatabase.all)
    func aRemovedParticipantCannotComeBackWithAnOldToken(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            try await Self.removalScenario(server)
        }
    }

    static func removalScenario(_ server: TestServer) async throws {
        let owner = try await Fixture.make(server.store)
        let now = server.clock.now()
        let admin = SocketTestClient.connect(port: server.port, ["access_token": try await token(owner, identity: "host", now: now) { $0.roomAdmin = true }])
        try await admin.waitFor("joined")
        let bobToken = try await token(owner, identity: "bob", now: now)
        let bob = SocketTestClient.connect(port: server.port, ["access_token": bobToken])
        let bobSid = try #require(try await bob.waitFor("joined")["sid"] as? String)
        let refreshed = try #require(try await bob.waitFor("token")["token"] as? String)
        try await admin.waitFor("participant_joined")

        try await bob.send(#"{"type": "remove", "identity": "host"}"#)
        #expect(try await bob.waitFor("error")["code"] as? String == "4003", "only a room admin removes")
        server.clock.advance(by: 1)
        try await admin.send(#"{"type": "remove", "identity": "bob"}"#)
        #expect(await bob.closeCode == 4004)
        try await admin.waitFor("participant_left")
        // Neither the old token, nor the refreshed one, nor a reconnect lets bob back.
        for attempt in [["access_token": bobToken], ["access_token": refreshed], ["access_token": bobToken, "reconnect": "1", "sid": bobSid]] {
            #expect(await SocketTestClient.refusal(port: server.port, attempt) == 4004)
        }
        let events = try await server.store.auditEvents(
            AuditFilter(orgID: owner.organization.id, action: "room.participant_removed"), page: 1, pageSize: 5)
        #expect(events.items.map(\.details) == [["identity": "bob"]])
        // A token issued after the removal is a new invitation.
        server.clock.advance(by: 1)
        let invited = SocketTestClient.connect(port: server.port, ["access_token": try await token(owner, identity: "bob", now: server.clock.now())])
        try await invited.waitFor("joined")
        try await invited.drop()
        try await admin.drop()
    }

    /// Rooms belong to organizations: the same room name in two organizations is two rooms, and a
    /// key cannot join another organization's room.
    @Test(arguments: TestDatabase.all)
    func roomsAreScopedByOrganization(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            try await Self.tenancyScenario(server)
        }
    }

    static func tenancyScenario(_ server: TestServer) async throws {
        let acme = try await Fixture.make(server.store)
        let beta = try await Fixture.make(server.store, email: "b@example.com", handle: "beta", restricted: true)
        let now = server.clock.now()
        let inAcme = SocketTestClient.connect(port: server.port, ["access_token": try await token(acme, identity: "a", now: now)])
        try await inAcme.waitFor("joined")
        let inBeta = SocketTestClient.connect(port: server.port, ["access_token": try await token(beta, identity: "b", now: now)])
        #expect((try await inBeta.waitFor("joined")["participants"] as? [Any])?.isEmpty == true, "beta's support is another room")
        // beta's key naming acme's room.
        var builder = AccessTokenBuilder(keyID: beta.key.keyId, secret: beta.token, identity: "spy", video: VideoGrant(roomJoin: true, room: "support"))
        builder.organization = "acme"
        #expect(await SocketTestClient.refusal(port: server.port, ["access_token": try await builder.build(now: now)]) == 4003)
        #expect(await SocketTestClient.refusal(port: server.port, ["access_token": try await token(beta, identity: "spy", now: now), "org": "acme"]) == 4003)
        #expect(inAcme.messages(ofType: "participant_joined").isEmpty)
        try await inAcme.drop()
        try await inBeta.drop()
    }
}

extension RealtimeRoomTests {
/// A participant that stops reading is dropped once it is `outboxLimit` frames behind, long before
/// the WebSocket ping would notice, and the server keeps nothing more for it.
@Suite struct SlowConsumerTests {
    @Test func aReaderThatFallsBehindIsDropped() async throws {
        try await withServer(.sqlite, configure: { $0.realtime.outboxLimit = 256 }) { server in
            try await Self.scenario(server)
        }
    }

    static func scenario(_ server: TestServer) async throws {
        let owner = try await Fixture.make(server.store)
        let now = server.clock.now()
        let slow = try RawConnection(port: server.port)
        let slowToken = try await RealtimeRoomTests.token(owner, identity: "slow", now: now)
        slow.send(
            "GET /rtc?access_token=\(slowToken) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        #expect(await slow.readResponse(timeout: .seconds(5)).hasPrefix("HTTP/1.1 101"))
        let sender = SocketTestClient.connect(port: server.port, ["access_token": try await RealtimeRoomTests.token(owner, identity: "fast", now: now)])
        try await sender.waitFor("joined")
        let witness = SocketTestClient.connect(port: server.port, ["access_token": try await RealtimeRoomTests.token(owner, identity: "witness", now: now)])
        try await witness.waitFor("joined")
        // 30 MB for a reader that reads nothing: far more than socket buffers and 256 frames hold.
        let payload = String(repeating: "z", count: 15 * 1024)
        // In batches a reader that keeps up has in full before the next (so only the slow one falls
        // behind); once it has all of it, the server has offered all of it to the slow one too.
        for batch in 1...20 {
            for _ in 0..<100 { try await sender.send(#"{"type": "data", "payload": "\#(payload)"}"#) }
            try await witness.waitForCount("data", batch * 100)
        }
        let (received, closed) = await slow.readUntilClosed(timeout: .seconds(3))
        #expect(closed, "dropped by the time the others had everything (the ping would take 10 s)")
        #expect(received.utf8.count < 20_000_000, "got \(received.utf8.count) bytes of 30 MB")
        try await sender.drop()
        try await witness.drop()
    }
}
}
