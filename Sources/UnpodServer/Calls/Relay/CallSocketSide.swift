/// The two sockets of a call: the runner's bridge and the caller side.
enum CallSocketSide: String, Codable, Sendable {
    case bridge, caller
}
