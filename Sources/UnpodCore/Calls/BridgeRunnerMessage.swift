/// What the runner sends on the bridge: `hello` first, then the agent's verbs.
public enum BridgeRunnerMessage: Sendable, Equatable {
    case hello(protocolVersion: Int?)
    case verb(AgentVerb)
    /// An event the server does not act on (the SDK defines `agent.dispatch`, `agent.merge`, …).
    case other(event: String)

    static let helloEvent = "hello"

    init(_ frame: CallFrame) {
        if frame.event == Self.helloEvent {
            self = .hello(protocolVersion: frame.protocolVersion)
        } else if let verb = AgentVerb(frame) {
            self = .verb(verb)
        } else {
            self = .other(event: frame.event)
        }
    }

    var frame: CallFrame {
        switch self {
        case .hello(let version):
            var frame = CallFrame(event: Self.helloEvent)
            frame.protocolVersion = version
            return frame
        case .verb(let verb): return verb.frame
        case .other(let event): return CallFrame(event: event)
        }
    }
}
