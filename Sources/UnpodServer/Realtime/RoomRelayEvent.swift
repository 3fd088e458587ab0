import UnpodCore

/// What one node tells the others about its rooms, over PostgreSQL's `LISTEN`/`NOTIFY` (one JSON
/// object per notification). A kind this node does not know (a newer node's) fails to decode and
/// is ignored.
struct RoomRelayEvent: Codable, Sendable {
    enum Kind: String, Codable, Sendable {
        /// A node (re)started: the others tell it who is in their rooms.
        case hello
        /// A node is alive (its participants are forgotten when it falls silent).
        case heartbeat
        case join, leave, data, metadata, remove
    }

    var node: String
    var kind: Kind
    var org: Int?
    var room: String?
    var participant: RoomParticipant?
    var hidden: Bool?
    var from: String?
    var payload: String?
    var to: [String]?
    var topic: String?
    var identity: String?
}
