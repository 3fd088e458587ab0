import UnpodCore

/// What the caller side of a call hears.
public enum CallerEvent: Sendable, Equatable {
    case message(CallerServerMessage)
    /// The socket closed: the server's close code and reason (nil when it gave none).
    case closed(code: Int?, reason: String?)
}
