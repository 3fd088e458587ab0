import Foundation
import UnpodCore

/// The rooms as this node sees them: its own participant sessions, and (on PostgreSQL) the other
/// nodes' participants, learnt from their relayed events. A session outlives its socket for the
/// reconnect window, so a reconnect keeps its sid and the others see no leave or join.
actor RoomRegistry {
    /// A room event between nodes (see ``RoomRelay``).
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
        /// nil while the socket is gone and the session waits for a reconnect (or for another node's participant).
        var outbox: Outbox?
        /// The node that holds the participant; nil for this one.
        var node: String? = nil
        /// Bumped by each (re)connection, so a late detach of an older socket changes nothing.
        var generation: Int

        var info: RoomParticipant {
            .init(sid: sid, identity: identity, name: name, metadata: metadata)
        }
    }

    enum JoinOutcome {
        case joined(sid: String, generation: Int, others: [RoomParticipant])
        case full
    }

    let participantCap: Int
    let reconnectWindow: Duration
    /// This node's name in relayed events.
    let nodeID = "node-" + RoomRegistry.randomID()
    private var rooms: [RoomKey: [String: Participant]] = [:]
    private var relay: (@Sendable (RoomRelayEvent) -> Void)?
    private var nodesSeen: [String: ContinuousClock.Instant] = [:]

    init(participantCap: Int, reconnectWindow: Duration) {
        self.participantCap = participantCap
        self.reconnectWindow = reconnectWindow
    }

    /// From now on, this node's changes are published to the other nodes.
    func relay(to publish: @escaping @Sendable (RoomRelayEvent) -> Void) {
        relay = publish
    }

    /// Asks the other nodes who is in their rooms (after this node starts listening).
    nonisolated func hello() -> RoomRelayEvent { RoomRelayEvent(node: nodeID, kind: .hello) }

    /// Whether a join of `identity` would find the room full (its own earlier session, which a
    /// join replaces, does not count).
    func isFull(_ key: RoomKey, for identity: String) -> Bool {
        (rooms[key] ?? [:]).values.filter { $0.identity != identity }.count >= participantCap
    }

    /// Whether this node holds the session `sid` in the room (a reconnect would resume it).
    func holds(_ key: RoomKey, sid: String) -> Bool {
        rooms[key]?[sid] != nil
    }

    func join(
        _ key: RoomKey, identity: String, name: String?, metadata: String?, grant: VideoGrant, outbox: Outbox
    ) -> JoinOutcome {
        var room = rooms[key] ?? [:]
        // One session per identity: an earlier one is closed, and says so (unlike livekit#4620);
        // one on another node is closed there when it learns of this join.
        for (sid, earlier) in room where earlier.identity == identity {
            earlier.outbox?.close(.duplicateIdentity)
            room[sid] = nil
            if !earlier.grant.isHidden { announce(in: room, .participantLeft(earlier.info)) }
            if earlier.node == nil { publish(key, kind: .leave, participant: earlier.info) }
        }
        guard room.count < participantCap else {
            rooms[key] = room.isEmpty ? nil : room
            return .full
        }
        let sid = "PA_" + Self.randomID()
        let participant = Participant(
            sid: sid, identity: identity, name: name, metadata: metadata, grant: grant, outbox: outbox, generation: 1)
        if !grant.isHidden { announce(in: room, .participantJoined(participant.info)) }
        let others = room.values.filter { !$0.grant.isHidden }.map(\.info).sorted { $0.sid < $1.sid }
        room[sid] = participant
        rooms[key] = room
        publish(key, kind: .join, participant: participant.info, hidden: grant.isHidden)
        return .joined(sid: sid, generation: 1, others: others)
    }

    /// Takes over a session the room still holds (its socket gone or going) for the same identity;
    /// nil when there is none.
    func reconnect(_ key: RoomKey, sid: String, identity: String, outbox: Outbox)
        -> (generation: Int, others: [RoomParticipant])?
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
        deliver(room, from: sender.identity, payload: payload, to: identities, topic: topic)
        var event = RoomRelayEvent(node: nodeID, kind: .data, org: key.orgID, room: key.name, from: sender.identity, payload: payload)
        event.to = identities
        event.topic = topic
        relay?(event)
        return nil
    }

    /// Data to this node's participants who may subscribe (and are named, when `to` names some).
    private func deliver(_ room: [String: Participant], from identity: String, payload: String, to identities: [String]?, topic: String?) {
        let text = RoomProtocol.encode(RoomServerMessage.data(from: identity, payload: payload, topic: topic))
        let wanted = identities.map(Set.init)
        for participant in room.values where participant.identity != identity && participant.grant.maySubscribe {
            if let wanted, !wanted.contains(participant.identity) { continue }
            participant.outbox?.send(text)
        }
    }

    func updateMetadata(_ key: RoomKey, sid: String, metadata: String) -> RealtimeClose? {
        guard var participant = rooms[key]?[sid] else { return nil }
        guard participant.grant.mayUpdateOwnMetadata else { return .noPermission("canUpdateOwnMetadata is not granted") }
        participant.metadata = metadata
        rooms[key]?[sid] = participant
        publish(key, kind: .metadata, participant: participant.info, hidden: participant.grant.isHidden)
        let message = RoomServerMessage.metadataChanged(participant.info)
        if participant.grant.isHidden {
            participant.outbox?.send(RoomProtocol.encode(message))
        } else {
            let text = RoomProtocol.encode(message)
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
        var event = RoomRelayEvent(node: nodeID, kind: .remove, org: key.orgID, room: key.name)
        event.identity = identity
        relay?(event)
        return .success(removed.count)
    }

    func isRoomAdmin(_ key: RoomKey, sid: String) -> Bool { rooms[key]?[sid]?.grant.isRoomAdmin ?? false }

    private func remove(_ key: RoomKey, sid: String) {
        guard let participant = rooms[key]?.removeValue(forKey: sid) else { return }
        if rooms[key]?.isEmpty == true { rooms[key] = nil }
        if !participant.grant.isHidden, let room = rooms[key] {
            announce(in: room, .participantLeft(participant.info))
        }
        if participant.node == nil { publish(key, kind: .leave, participant: participant.info) }
    }

    // MARK: Other nodes

    private func publish(_ key: RoomKey, kind: RoomRelayEvent.Kind, participant: RoomParticipant, hidden: Bool? = nil) {
        relay?(RoomRelayEvent(node: nodeID, kind: kind, org: key.orgID, room: key.name, participant: participant, hidden: hidden))
    }

    /// An event another node published.
    func apply(_ event: RoomRelayEvent) {
        guard event.node != nodeID else { return }
        nodesSeen[event.node] = .now
        if event.kind == .hello {
            // A node (re)started: tell it who is here.
            for (key, room) in rooms {
                for participant in room.values where participant.node == nil {
                    publish(key, kind: .join, participant: participant.info, hidden: participant.grant.isHidden)
                }
            }
            return
        }
        guard let orgID = event.org, let name = event.room else { return }
        let key = RoomKey(orgID: orgID, name: name)
        switch event.kind {
        case .join:
            guard let info = event.participant, rooms[key]?[info.sid] == nil else { return }
            var room = rooms[key] ?? [:]
            for (sid, earlier) in room where earlier.identity == info.identity {
                earlier.outbox?.close(.duplicateIdentity)
                room[sid] = nil
                rooms[key] = room
                if !earlier.grant.isHidden { announce(in: room, .participantLeft(earlier.info)) }
                if earlier.node == nil { publish(key, kind: .leave, participant: earlier.info) }
            }
            let hidden = event.hidden ?? false
            room[info.sid] = Participant(
                sid: info.sid, identity: info.identity, name: info.name, metadata: info.metadata,
                grant: VideoGrant(hidden: hidden), outbox: nil, node: event.node, generation: 0)
            rooms[key] = room
            if !hidden { announce(in: room, .participantJoined(info)) }
        case .leave:
            guard let sid = event.participant?.sid, rooms[key]?[sid]?.node == event.node else { return }
            remove(key, sid: sid)
        case .data:
            guard let room = rooms[key], let from = event.from, let payload = event.payload else { return }
            deliver(room, from: from, payload: payload, to: event.to, topic: event.topic)
        case .metadata:
            guard let info = event.participant, var participant = rooms[key]?[info.sid], participant.node == event.node else { return }
            participant.metadata = info.metadata
            rooms[key]?[info.sid] = participant
            if !participant.grant.isHidden {
                announce(in: rooms[key]!, .metadataChanged(participant.info))
            }
        case .remove:
            guard let identity = event.identity, let room = rooms[key] else { return }
            for participant in room.values where participant.identity == identity {
                participant.outbox?.close(.removed)
                remove(key, sid: participant.sid)
            }
        case .hello, .heartbeat:
            break
        }
    }

    /// Forgets the participants of nodes not heard from for `silence` (a node that died).
    func sweep(silence: Duration) {
        let now = ContinuousClock.now
        let gone = Set(nodesSeen.filter { now - $0.value > silence }.keys)
        guard !gone.isEmpty else { return }
        for node in gone { nodesSeen[node] = nil }
        for (key, room) in rooms {
            for participant in room.values where participant.node.map(gone.contains) == true {
                remove(key, sid: participant.sid)
            }
        }
    }

    nonisolated func heartbeat() -> RoomRelayEvent { RoomRelayEvent(node: nodeID, kind: .heartbeat) }

    private func announce(in room: [String: Participant], _ message: RoomServerMessage) {
        let text = RoomProtocol.encode(message)
        for participant in room.values { participant.outbox?.send(text) }
    }

    static func randomID() -> String {
        var generator = SystemRandomNumberGenerator()
        return Base62.random(count: 12, using: &generator)
    }
}
