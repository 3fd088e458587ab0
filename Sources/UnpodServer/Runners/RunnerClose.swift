/// Why the server closes a runner's control socket. The SDK gives up for good on 4001 and 1008
/// (`RunnerAuthError`) and reconnects with backoff on anything else, so a refused credential or a
/// runner for an agent that is not there is final, and a fault of one connection is not.
enum RunnerClose: Error, Sendable, Equatable {
    /// The key is missing, invalid, without `write`, or not an owner's or admin's of the organization.
    case refused(String)
    /// A policy the runner cannot fix by reconnecting: no such agent here, a transport we do not speak.
    case policy(String)
    /// A frame that is not the protocol's.
    case protocolError(String)
    /// No heartbeat within the silence limit.
    case silent

    var code: UInt16 {
        switch self {
        case .refused: 4001
        case .policy: 1008
        case .protocolError: 1002
        case .silent: 4000
        }
    }

    var reason: String {
        switch self {
        case .refused(let why): "refused: \(why)"
        case .policy(let why): "policy: \(why)"
        case .protocolError(let why): "protocol error: \(why)"
        case .silent: "no heartbeat"
        }
    }
}
