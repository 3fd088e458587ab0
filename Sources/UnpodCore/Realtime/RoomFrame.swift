/// One frame of the room protocol as it is on the wire: a `type`, the version `v`, and the fields
/// each message uses (absent ones left out). The messages themselves are ``RoomClientMessage`` and
/// ``RoomServerMessage``; this is the only place their keys are spelled.
struct RoomFrame: Codable, Equatable {
    var type: String
    var v: Int?
    var room: String?
    var sid: String?
    var identity: String?
    var participant: RoomParticipant?
    var participants: [RoomParticipant]?
    var reconnected: Bool?
    var token: String?
    var from: String?
    var to: [String]?
    var payload: String?
    var topic: String?
    var metadata: String?
    var code: String?
    var message: String?

    init(type: String) {
        self.type = type
        self.v = RoomProtocol.version
    }
}
