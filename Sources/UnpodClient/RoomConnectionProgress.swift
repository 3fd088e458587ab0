import Synchronization

/// One connection attempt of a RoomConnection: whether `joined` came, and whether its end was
/// reported (once: by the socket's end, or by the watchdog for a socket that hangs).
final class RoomConnectionProgress: Sendable {
    private let state = Mutex((joined: false, closed: false))

    var joined: Bool { state.withLock { $0.joined } }
    var settled: Bool { state.withLock { $0.joined || $0.closed } }

    func markJoined() { state.withLock { $0.joined = true } }

    /// True the first time only.
    func close() -> Bool { state.withLock { state in defer { state.closed = true }; return !state.closed } }
}
