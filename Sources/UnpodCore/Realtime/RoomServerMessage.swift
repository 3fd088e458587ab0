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

    /// The `type` of each message this version knows: the one place they are spelled.
    enum Kind: String {
        case joined, data, token, error
        case participantJoined = "participant_joined"
        case participantLeft = "participant_left"
        case metadataChanged = "metadata_changed"
    }

    /// The frame's `type`.
    public var type: String {
        switch self {
        case .joined: Kind.joined.rawValue
        case .participantJoined: Kind.participantJoined.rawValue
        case .participantLeft: Kind.participantLeft.rawValue
        case .metadataChanged: Kind.metadataChanged.rawValue
        case .data: Kind.data.rawValue
        case .token: Kind.token.rawValue
        case .error: Kind.error.rawValue
        case .unknown(let type): type
        }
    }
}

extension RoomServerMessage {
    init(_ frame: RoomFrame) {
        switch Kind(rawValue: frame.type) {
        case .joined:
            self = .joined(
                room: frame.room ?? "", sid: frame.sid ?? "", identity: frame.identity ?? "",
                participants: frame.participants ?? [], reconnected: frame.reconnected ?? false)
        case .participantJoined: self = frame.participant.map(Self.participantJoined) ?? .unknown(type: frame.type)
        case .participantLeft: self = frame.participant.map(Self.participantLeft) ?? .unknown(type: frame.type)
        case .metadataChanged: self = frame.participant.map(Self.metadataChanged) ?? .unknown(type: frame.type)
        case .data: self = .data(from: frame.from ?? "", payload: frame.payload ?? "", topic: frame.topic)
        case .token: self = frame.token.map(Self.token) ?? .unknown(type: frame.type)
        case .error: self = .error(code: frame.code ?? "", message: frame.message ?? "")
        case nil: self = .unknown(type: frame.type)
        }
    }
}

extension RoomFrame {
    init(_ message: RoomServerMessage) {
        switch message {
        case .joined(let room, let sid, let identity, let participants, let reconnected):
            self.init(type: message.type)
            self.room = room
            self.sid = sid
            self.identity = identity
            self.participants = participants
            self.reconnected = reconnected
        case .participantJoined(let participant):
            self.init(type: message.type)
            self.participant = participant
        case .participantLeft(let participant):
            self.init(type: message.type)
            self.participant = participant
        case .metadataChanged(let participant):
            self.init(type: message.type)
            self.participant = participant
        case .data(let from, let payload, let topic):
            self.init(type: message.type)
            self.from = from
            self.payload = payload
            self.topic = topic
        case .token(let token):
            self.init(type: message.type)
            self.token = token
        case .error(let code, let text):
            self.init(type: message.type)
            self.code = code
            self.message = text
        case .unknown(let type):
            self.init(type: type)
        }
    }
}
