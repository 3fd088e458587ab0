import Foundation

/// The caller side of a call: one WebSocket protocol for whoever speaks for the human (the
/// dashboard's test-call page, `unpod call`, a script, a phone gateway doing its own speech to text).
/// It sends user turns and hangs up; it receives the call's status and the agent's verbs as they come.
public enum CallerProtocol {
    public static let pathPrefix = "/v1/calls/"
    public static let pathSuffix = "/media"

    public static func encode(_ message: CallerServerMessage) -> String { message.frame.encoded() }
    public static func encode(_ message: CallerClientMessage) -> String { message.frame.encoded() }

    public static func clientMessage(_ text: String) -> CallerClientMessage? {
        CallFrame.decode(text).map(CallerClientMessage.init)
    }

    public static func serverMessage(_ text: String) -> CallerServerMessage? {
        CallFrame.decode(text).flatMap(CallerServerMessage.init)
    }
}

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

/// What the caller side receives: the call's status as it changes, the agent's verbs, and the end.
public enum CallerServerMessage: Sendable, Equatable {
    case callStatus(String)
    case agent(AgentVerb)
    case callEnded(status: String, endReason: String?)

    enum Kind: String {
        case callStatus = "call.status"
        case callEnded = "call.ended"
    }

    init?(_ frame: CallFrame) {
        switch Kind(rawValue: frame.event) {
        case .callStatus: self = .callStatus(frame.status ?? "")
        case .callEnded: self = .callEnded(status: frame.status ?? "", endReason: frame.endReason)
        case nil:
            guard let verb = AgentVerb(frame) else { return nil }
            self = .agent(verb)
        }
    }

    var frame: CallFrame {
        switch self {
        case .callStatus(let status):
            var frame = CallFrame(event: Kind.callStatus.rawValue)
            frame.status = status
            return frame
        case .agent(let verb): return verb.frame
        case .callEnded(let status, let endReason):
            var frame = CallFrame(event: Kind.callEnded.rawValue)
            frame.status = status
            frame.endReason = endReason
            return frame
        }
    }
}
