/// What goes out on one of a call's sockets, in order: texts, then at most one close.
enum SocketOutgoing: Sendable {
    case text(String)
    case close(code: UInt16, reason: String)
}
