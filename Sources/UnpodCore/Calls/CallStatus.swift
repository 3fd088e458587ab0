/// Where a call is (LiveKit's call statuses, as the SDK reads them): in flight, or terminal.
public enum CallStatus: String, Codable, Sendable, CaseIterable {
    case pending, dispatching, ringing, active
    case connected, notConnected, failed

    public var isTerminal: Bool {
        switch self {
        case .connected, .notConnected, .failed: true
        case .pending, .dispatching, .ringing, .active: false
        }
    }
}
