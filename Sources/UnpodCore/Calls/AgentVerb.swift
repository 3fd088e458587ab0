/// What an agent does in a call, as its runner (or a server-hosted brain) sends it; the caller side
/// receives the same verbs.
public enum AgentVerb: Sendable, Equatable {
    /// A whole utterance. Texts starting `__filler:` or `__recording_pause:`, and `__recording_resume`,
    /// are the SDK's control signals, not speech (``isControlSignal``).
    case say(String)
    /// One chunk of a streamed reply.
    case textDelta(String)
    /// The streamed reply to a user turn is over (once per user turn, even when empty).
    case textEnd
    case endCall(reason: String)
    case transfer(type: String?, target: String?, mode: String?, announcement: String?)

    /// The `event` of each verb: the one place they are spelled.
    enum Kind: String {
        case say = "agent.say"
        case textDelta = "agent.text.delta"
        case textEnd = "agent.text.end"
        case endCall = "agent.end_call"
        case transfer = "agent.transfer"
    }

    var kind: Kind {
        switch self {
        case .say: .say
        case .textDelta: .textDelta
        case .textEnd: .textEnd
        case .endCall: .endCall
        case .transfer: .transfer
        }
    }

    /// Whether an `agent.say` text is a control signal of the SDK's session rather than speech.
    public static func isControlSignal(_ text: String) -> Bool {
        text.hasPrefix("__filler:") || text.hasPrefix("__recording_pause:") || text == "__recording_resume"
    }

    init?(_ frame: CallFrame) {
        switch Kind(rawValue: frame.event) {
        case .say: self = .say(frame.text ?? "")
        case .textDelta: self = .textDelta(frame.text ?? "")
        case .textEnd: self = .textEnd
        case .endCall: self = .endCall(reason: frame.reason ?? "completed")
        case .transfer:
            self = .transfer(type: frame.transferType, target: frame.target, mode: frame.mode, announcement: frame.announcement)
        case nil: return nil
        }
    }

    var frame: CallFrame {
        var frame = CallFrame(event: kind.rawValue)
        switch self {
        case .say(let text), .textDelta(let text): frame.text = text
        case .textEnd: break
        case .endCall(let reason): frame.reason = reason
        case .transfer(let type, let target, let mode, let announcement):
            frame.transferType = type
            frame.target = target
            frame.mode = mode
            frame.announcement = announcement
        }
        return frame
    }
}
