/// A participant as the room protocol names it: its session id, identity, and optional name and metadata.
public struct RoomParticipant: Codable, Sendable, Equatable {
    public var sid: String
    public var identity: String
    public var name: String?
    public var metadata: String?

    public init(sid: String, identity: String, name: String? = nil, metadata: String? = nil) {
        self.sid = sid
        self.identity = identity
        self.name = name
        self.metadata = metadata
    }
}
