import Foundation
import UnpodCore

/// The rooms this node holds, each a set of participant sessions. A session outlives its socket
/// for the reconnect window, so a reconnect keeps its sid and the others see no leave or join.
actor RoomRegistry {
    struct RoomKey: Hashable, Sendable {
        var orgID: Int
        var name: String
    }

    struct Participant {
        let sid: String
        let identity: String
        var name: String?
        var metadata: String?
        let grant: VideoGrant
        /// nil while the socket is gone and the session waits for a reconnect.
        var outbox: Outbox?
        /// Bumped by each (re)connection, so a late detach of an older socket changes nothing.
        var generation: Int

        var info: RealtimeProtocol.ParticipantInfo {
            .init(sid: sid, identity: identity, name: name, metadata: metadata)
        }
    }

    enum JoinOutcome {
        case joined(sid: String, generation: Int, others: [RealtimeProtocol.ParticipantInfo])
        case full
    }

    let participantCap: Int
    let reconnectWindow: Duration
    private var rooms: [RoomKey: [String: Participant]] = [:]

    init(participantCap: Int, reconnectWindow: Duration) {
        self.participantCap = participantCap
        self.reconnectWindow = reconnectWindow
    }

    func join(
        _ key: RoomKey, identity: String, name: String?, metadata: String?, grant: VideoGrant, outbox: Outbox
    ) -> JoinOutcome {
        var room = rooms[key] ?? [:]
        // One session per identity: an earlier one is closed, and says so (unlike livekit#4620).
        for (sid, earlier) in room where earlier.identity == identity {
            earlier.outbox?.close(.duplicateIdentity)
            room[sid] = nil
            if !earlier.grant.isHidden { announce(in: room, .init(type: "participant_left", participant: earlier.info)) }
        }
        guard room.count < participantCap else {
            rooms[key] = room.isEmpty ? nil : room
            return .full
        }
        let sid = "PA_" + Self.randomID()
        let participant = Participant(
            sid: sid, identity: identity, name: name, metadata: metadata, grant: grant, outbox: outbox, generation: 1)
        if !grant.isHidden { announce(in: room, .init(type: "participant_joined", participant: participant.info)) }
        let others = room.values.filter { !$0.grant.isHidden }.map(\.info).sorted { $0.sid < $1.sid }
        room[sid] = participant
        rooms[key] = room
        return .joined(sid: sid, generation: 1, others: others)
    }

    /// Takes over a session the room still holds (its socket gone or going) for the same identity;
    /// nil when there is none.
    func reconnect(_ key: RoomKey, sid: String, identity: String, outbox: Outbox)
        -> (generation: Int, others: [RealtimeProtocol.ParticipantInfo])?
    {
        guard var participant = rooms[key]?[sid], participant.identity == identity else { return nil }
        participant.outbox?.close(.duplicateIdentity)
        participant.outbox = outbox
        participant.generation += 1
        rooms[key]?[sid] = participant
        let others = rooms[key]!.values.filter { $0.sid != sid && !$0.grant.isHidden }.map(\.info).sorted { $0.sid < $1.sid }
        return (participant.generation, others)
    }

    /// The socket of this session closed without a goodbye: hold the session for the reconnect window.
    func detach(_ key: RoomKey, sid: String, generation: Int) {
        guard var participant = rooms[key]?[sid], participant.generation == generation else { return }
        participant.outbox = nil
        rooms[key]?[sid] = participant
        Task { [reconnectWindow] in
            try? await Task.sleep(for: reconnectWindow)
            self.expire(key, sid: sid, generation: generation)
        }
    }

    private func expire(_ key: RoomKey, sid: String, generation: Int) {
        guard let participant = rooms[key]?[sid], participant.generation == generation, participant.outbox == nil else { return }
        remove(key, sid: sid)
    }

    /// The participant left for good (a `leave` message).
    func leave(_ key: RoomKey, sid: String, generation: Int) {
        guard let participant = rooms[key]?[sid], participant.generation == generation else { return }
        remove(key, sid: sid)
    }

    /// Data from `sid` to everyone else, or to the named identities, who may subscribe.
    func publish(_ key: RoomKey, from sid: String, payload: String, to identities: [String]?, topic: String?) -> RealtimeClose? {
        guard let room = rooms[key], let sender = room[sid] else { return nil }
        guard sender.grant.mayPublishData else { return .noPermission("canPublishData is not granted") }
        let text = RealtimeProtocol.encode(.init(type: "data", from: sender.identity, payload: payload, topic: topic))
        let wanted = identities.map(Set.init)
        for participant in room.values where participant.sid != sid && participant.grant.maySubscribe {
            if let wanted, !wanted.contains(participant.identity) { continue }
            participant.outbox?.send(text)
        }
        return nil
    }

    func updateMetadata(_ key: RoomKey, sid: String, metadata: String) -> RealtimeClose? {
        guard var participant = rooms[key]?[sid] else { return nil }
        guard participant.grant.mayUpdateOwnMetadata else { return .noPermission("canUpdateOwnMetadata is not granted") }
        participant.metadata = metadata
        rooms[key]?[sid] = participant
        let message = RealtimeProtocol.ServerMessage(type: "metadata_changed", participant: participant.info)
        if participant.grant.isHidden {
            participant.outbox?.send(RealtimeProtocol.encode(message))
        } else {
            let text = RealtimeProtocol.encode(message)
            for other in rooms[key]!.values { other.outbox?.send(text) }
        }
        return nil
    }

    /// A room admin removes every session of `identity`; their sockets close with "removed".
    func remove(_ key: RoomKey, by sid: String, identity: String) -> Result<Int, RealtimeClose> {
        guard let room = rooms[key], let admin = room[sid] else { return .success(0) }
        guard admin.grant.isRoomAdmin else { return .failure(.noPermission("roomAdmin is not granted")) }
        let removed = room.values.filter { $0.identity == identity }
        for participant in removed {
            participant.outbox?.close(.removed)
            remove(key, sid: participant.sid)
        }
        return .success(removed.count)
    }

    func participantCount(_ key: RoomKey) -> Int { rooms[key]?.count ?? 0 }

    private func remove(_ key: RoomKey, sid: String) {
        guard let participant = rooms[key]?.removeValue(forKey: sid) else { return }
        if rooms[key]?.isEmpty == true { rooms[key] = nil }
        if !participant.grant.isHidden, let room = rooms[key] {
            announce(in: room, .init(type: "participant_left", participant: participant.info))
        }
    }

    private func announce(in room: [String: Participant], _ message: RealtimeProtocol.ServerMessage) {
        let text = RealtimeProtocol.encode(message)
        for participant in room.values { participant.outbox?.send(text) }
    }

    private static func randomID() -> String {
        var generator = SystemRandomNumberGenerator()
        return Base62.random(count: 12, using: &generator)
    }
}
