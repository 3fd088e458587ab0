import Foundation
import Testing
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

/// Two server processes on one PostgreSQL database share rooms (issue 7, item 6): joins, leaves,
/// data and metadata cross nodes, and a removal on one node closes the participant on the other.
/// On SQLite rooms live in one process, so this runs on PostgreSQL only (skipped without its URL).
@Suite(.serialized) struct RoomsAcrossNodesTests {
    static var engines: [TestDatabase] { TestDatabase.all.filter { $0 == .postgres } }

    @Test(arguments: engines)
    func participantsOnTwoNodesShareARoom(_ engine: TestDatabase) async throws {
        try await withTestStore(engine) { store, database in
            try await Self.scenario(store: store, location: database.location)
        }
    }

    static func scenario(store: SQLStore, location: DatabaseLocation) async throws {
        let owner = try await Fixture.make(store)
        let first = try await ServerProcess(database: location)
        defer { first.stop() }
        let second = try await ServerProcess(database: location)
        defer { second.stop() }
        func token(_ identity: String, admin: Bool = false) async throws -> String {
            try await AccessTokenBuilder(
                keyID: owner.key.keyId, secret: owner.token, identity: identity,
                video: VideoGrant(roomJoin: true, room: "support", roomAdmin: admin, canUpdateOwnMetadata: true)
            ).build()
        }
        try await Task.sleep(for: .milliseconds(500))  // both nodes listening

        let alice = SocketTestClient.connect(port: first.port, ["access_token": try await token("alice", admin: true)])
        let aliceSid = try #require(try await alice.waitFor("joined")["sid"] as? String)
        let bobToken = try await token("bob")
        let bob = SocketTestClient.connect(port: second.port, ["access_token": bobToken])
        let bobJoined = try await bob.waitFor("joined")
        #expect((bobJoined["participants"] as? [[String: Any]])?.map { $0["sid"] as? String } == [aliceSid], "bob's node knows alice")
        #expect((try await alice.waitFor("participant_joined")["participant"] as? [String: Any])?["identity"] as? String == "bob")

        try await alice.send(#"{"type": "data", "payload": "from node one"}"#)
        #expect(try await bob.waitFor("data")["payload"] as? String == "from node one")
        try await bob.send(#"{"type": "data", "payload": "from node two", "to": ["alice"]}"#)
        #expect(try await alice.waitFor("data")["from"] as? String == "bob")
        try await bob.send(#"{"type": "metadata", "metadata": "typing"}"#)
        #expect((try await alice.waitFor("metadata_changed")["participant"] as? [String: Any])?["metadata"] as? String == "typing")
        // A large payload crosses too (over NOTIFY's 8,000 bytes: through the relay table).
        let large = String(repeating: "x", count: 12_000)
        try await alice.send(#"{"type": "data", "payload": "\#(large)"}"#)
        #expect((try await bob.waitFor("data", count: 2)["payload"] as? String)?.count == 12_000)

        let carol = SocketTestClient.connect(port: second.port, ["access_token": try await token("carol")])
        try await carol.waitFor("joined")
        try await alice.waitFor("participant_joined", count: 2)
        try await carol.send(#"{"type": "leave"}"#)
        #expect((try await alice.waitFor("participant_left")["participant"] as? [String: Any])?["identity"] as? String == "carol")

        // Removal on node one closes bob on node two; his token is refused on both nodes.
        try await alice.send(#"{"type": "remove", "identity": "bob"}"#)
        #expect(await bob.closeCode == 4004)
        try await alice.waitFor("participant_left", count: 2)
        for node in [first, second] {
            #expect(await SocketTestClient.refusal(port: node.port, ["access_token": bobToken]) == 4004)
        }
        try await alice.drop()
    }
}
