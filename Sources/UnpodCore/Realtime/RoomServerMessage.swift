/// What the room server sends a participant. A type this version does not know (from a newer
/// server) is ``unknown(type:)``.
public enum RoomServerMessage: Sendable, Equatable {
    /// First: the room, this session's sid and identity, and who else is there (hidden ones left out).
    case joined(room: String, sid: String, identity: String, participants: [RoomParticipant], reconnected: Bool)
    case participantJoined(RoomParticipant)
    case participantLeft(RoomParticipant)
    case metadataChanged(RoomParticipant)
    case data(from: String, payload: String, topic: String?)
    /// A refreshed access token, for the next reconnect.
    case token(String)
    /// A refused message (the connection stays): its close-code number and why.
    case error(code: String, message: String)
    case unknown(type: String)
}

extension RoomServerMessage {
    init(_ frame: RoomFrame) {
        switch frame.type {
        case "joined":
            self = .joined(
                room: frame.room ?? "", sid: frame.sid ?? "", identity: frame.identity ?? "",
                participants: frame.participants ?? [], reconnected: frame.reconnected ?? false)
        case "participant_joined": self = frame.participant.map(Self.participantJoined) ?? .unknown(type: frame.type)
        case "participant_left": self = frame.participant.map(Self.participantLeft) ?? .unknown(type: frame.type)
        case "metadata_changed": self = frame.participant.map(Self.metadataChanged) ?? .unknown(type: frame.type)
        case "data": self = .data(from: frame.from ?? "", payload: frame.payload ?? "", topic: frame.topic)
        case "token": self = frame.token.map(Self.token) ?? .unknown(type: frame.type)
        case "error": self = .error(code: frame.code ?? "", message: frame.message ?? "")
        default: self = .unknown(type: frame.type)
        }
    }
}

extension RoomFrame {
    init(_ message: RoomServerMessage) {
        switch message {
        case .joined(let room, let sid, let identity, let participants, let reconnected):
            self.init(type: "joined")
            self.room = room
            self.sid = sid
            self.identity = identity
            self.participants = participants
            self.reconnected = reconnected
        case .participantJoined(let participant):
            self.init(type: "participant_joined")
            self.participant = participant
        case .participantLeft(let participant):
            self.init(type: "participant_left")
            self.participant = participant
        case .metadataChanged(let participant):
            self.init(type: "metadata_changed")
            self.participant = participant
        case .data(let from, let payload, let topic):
            self.init(type: "data")
            self.from = from
            self.payload = payload
            self.topic = topic
        case .token(let token):
            self.init(type: "token")
            self.token = token
        case .error(let code, let message):
            self.init(type: "error")
            self.code = code
            self.message = message
        case .unknown(let type):
            self.init(type: type)
        }
    }
}
