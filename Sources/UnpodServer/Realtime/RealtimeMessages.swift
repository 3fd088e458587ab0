import Foundation
import UnpodCore

/// The room server's wire protocol, version 1: JSON text frames, each with a `type` (README,
/// "Realtime rooms"). Unknown fields are ignored; an unknown `type` or version is a protocol error.
enum RealtimeProtocol {
    static let version = 1

    /// What a participant sends.
    struct ClientMessage: Decodable {
        var type: String
        var v: Int?
        /// `data`: the payload (any text, often JSON), to everyone or to these identities, with a topic.
        var payload: String?
        var to: [String]?
        var topic: String?
        /// `metadata`: the sender's new metadata.
        var metadata: String?
        /// `remove`: whom a room admin removes.
        var identity: String?
    }

    struct ParticipantInfo: Codable, Equatable, Sendable {
        var sid: String
        var identity: String
        var name: String?
        var metadata: String?
    }

    /// What the server sends.
    struct ServerMessage: Encodable {
        var type: String
        var v = RealtimeProtocol.version
        var room: String?
        var sid: String?
        var identity: String?
        var participant: ParticipantInfo?
        var participants: [ParticipantInfo]?
        var reconnected: Bool?
        var token: String?
        var from: String?
        var payload: String?
        var topic: String?
        var code: String?
        var message: String?
    }

    static func encode(_ message: ServerMessage) -> String {
        (try? String(decoding: encoder.encode(message), as: UTF8.self)) ?? #"{"type":"error","v":1}"#
    }

    /// One decoder for every participant's messages (it is not mutated after creation).
    static let decoder = JSONDecoder()

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}

/// Why a connection is closed: each refusal has its own close code (4000–4999, the application
/// range) and a short reason.
enum RealtimeClose: Error, Sendable, Equatable {
    case invalidToken(String)
    case tokenExpired
    case noPermission(String)
    case removed
    case roomFull
    case protocolError(String)
    case duplicateIdentity
    case slowConsumer
    /// A normal goodbye, after a `leave`.
    case left

    var code: UInt16 {
        switch self {
        case .invalidToken: 4001
        case .tokenExpired: 4002
        case .noPermission: 4003
        case .removed: 4004
        case .roomFull: 4005
        case .protocolError: 4006
        case .duplicateIdentity: 4007
        case .slowConsumer: 4008
        case .left: 1000
        }
    }

    var reason: String {
        switch self {
        case .invalidToken(let why): "invalid token: \(why)"
        case .tokenExpired: "token expired"
        case .noPermission(let why): "no permission: \(why)"
        case .removed: "removed from the room"
        case .roomFull: "room full"
        case .protocolError(let why): "protocol error: \(why)"
        case .duplicateIdentity: "the same identity joined again"
        case .slowConsumer: "too slow to receive"
        case .left: "left the room"
        }
    }
}
