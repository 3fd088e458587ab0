import Synchronization

/// What goes out on one of a call's sockets, in order: texts, then at most one close.
enum SocketOutgoing: Sendable {
    case text(String)
    case close(code: UInt16, reason: String)
}

/// The sending end of a socket's writer task; a closure so the hub holds no socket type.
struct SocketOutbox: Sendable {
    let connectionID: Int
    let send: @Sendable (SocketOutgoing) -> Void
}

/// Ids for a call's socket connections, unique in the process: a late close of a replaced socket
/// is told apart from the live one's.
enum SocketConnectionID {
    private static let last = Atomic<Int>(0)

    static func next() -> Int {
        last.add(1, ordering: .relaxed).newValue
    }
}
