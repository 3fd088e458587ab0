
/// The sending end of a socket's writer task; a closure so the hub holds no socket type.
struct SocketOutbox: Sendable {
    let connectionID: Int
    let send: @Sendable (SocketOutgoing) -> Void
}
