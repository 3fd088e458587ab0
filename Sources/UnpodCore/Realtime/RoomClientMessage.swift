/// What a participant sends. Fields it may leave out are optional here, so the server can say what
/// is missing; a type this version does not know is ``unknown(type:)``.
public enum RoomClientMessage: Sendable, Equatable {
    /// A payload (any text, often JSON) to everyone or to these identities, with a topic.
    case data(payload: String?, to: [String]?, topic: String?)
    /// The sender's new metadata.
    case metadata(String?)
    /// A room admin removes every session of an identity.
    case remove(identity: String?)
    /// Leaving for good (the others see it at once).
    case leave
    case unknown(type: String)

    /// The `type` of each message this version knows: the one place they are spelled.
    enum Kind: String {
        case data, metadata, remove, leave
    }

    /// The frame's `type`.
    public var type: String {
        switch self {
        case .data: Kind.data.rawValue
        case .metadata: Kind.metadata.rawValue
        case .remove: Kind.remove.rawValue
        case .leave: Kind.leave.rawValue
        case .unknown(let type): type
        }
    }
}

extension RoomClientMessage {
    init(_ frame: RoomFrame) {
        switch Kind(rawValue: frame.type) {
        case .data: self = .data(payload: frame.payload, to: frame.to, topic: frame.topic)
        case .metadata: self = .metadata(frame.metadata)
        case .remove: self = .remove(identity: frame.identity)
        case .leave: self = .leave
        case nil: self = .unknown(type: frame.type)
        }
    }
}

extension RoomFrame {
    init(_ message: RoomClientMessage) {
        self.init(type: message.type)
        switch message {
        case .data(let payload, let to, let topic):
            self.payload = payload
            self.to = to
            self.topic = topic
        case .metadata(let metadata): self.metadata = metadata
        case .remove(let identity): self.identity = identity
        case .leave, .unknown: break
        }
    }
}
