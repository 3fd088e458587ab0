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
