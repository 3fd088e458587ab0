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

    /// The frame's `type`.
    public var type: String {
        switch self {
        case .data: "data"
        case .metadata: "metadata"
        case .remove: "remove"
        case .leave: "leave"
        case .unknown(let type): type
        }
    }
}

extension RoomClientMessage {
    init(_ frame: RoomFrame) {
        switch frame.type {
        case "data": self = .data(payload: frame.payload, to: frame.to, topic: frame.topic)
        case "metadata": self = .metadata(frame.metadata)
        case "remove": self = .remove(identity: frame.identity)
        case "leave": self = .leave
        default: self = .unknown(type: frame.type)
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
