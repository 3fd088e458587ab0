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
