/// Why a call's socket is refused, as the close the socket gets.
struct CallSocketRefusal: Error, Sendable, Equatable {
    let code: UInt16
    let reason: String

    /// An unknown call, a bad token, or a dial after the call ended.
    static let unknownBridge = CallSocketRefusal(code: 4003, reason: "unknown call, bad token or ended call")
    /// A second live bridge socket for one call.
    static let busyBridge = CallSocketRefusal(code: 4009, reason: "a bridge socket for this call is live")
    static let callerRefused = CallSocketRefusal(code: 4003, reason: "the call has ended or has a caller")
}
