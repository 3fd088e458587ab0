/// What the caller side sends.
public enum CallerClientMessage: Sendable, Equatable {
    /// A whole user turn.
    case userText(String)
    case userInterrupted
    case hangup
    case unknown(event: String)

    enum Kind: String {
        case userText = "user.text"
        case userInterrupted = "user.interrupted"
        case hangup
    }

    init(_ frame: CallFrame) {
        switch Kind(rawValue: frame.event) {
        case .userText: self = .userText(frame.text ?? "")
        case .userInterrupted: self = .userInterrupted
        case .hangup: self = .hangup
        case nil: self = .unknown(event: frame.event)
        }
    }

    var frame: CallFrame {
        switch self {
        case .userText(let text):
            var frame = CallFrame(event: Kind.userText.rawValue)
            frame.text = text
            return frame
        case .userInterrupted: return CallFrame(event: Kind.userInterrupted.rawValue)
        case .hangup: return CallFrame(event: Kind.hangup.rawValue)
        case .unknown(let event): return CallFrame(event: event)
        }
    }
}
