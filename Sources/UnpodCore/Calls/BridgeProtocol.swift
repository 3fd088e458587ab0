import Foundation

/// The bridge socket of one call (agent-runner-protocol.md section 2): the runner dials
/// `/v1/bridge/{call}?token=…`, says `hello`, and the server answers `hello.ack` and
/// `call.started`; then user turns go to the runner and the agent's verbs come back.
///
/// The runner ends the call on any event it does not know, so the server sends only what
/// ``BridgeServerMessage`` has.
public enum BridgeProtocol {
    public static let pathPrefix = "/v1/bridge/"
    public static let version = 2

    public static func encode(_ message: BridgeServerMessage) -> String { message.frame.encoded() }
    public static func encode(_ message: BridgeRunnerMessage) -> String { message.frame.encoded() }

    /// The runner's frame, or nil when it is not a JSON object with an `event`.
    public static func runnerMessage(_ text: String) -> BridgeRunnerMessage? {
        CallFrame.decode(text).map(BridgeRunnerMessage.init)
    }

    public static func serverMessage(_ text: String) -> BridgeServerMessage? {
        CallFrame.decode(text).flatMap(BridgeServerMessage.init)
    }
}

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

/// What the server sends on the bridge, and nothing else.
public enum BridgeServerMessage: Sendable, Equatable {
    case helloAck(callID: String, sessionID: String, jobID: String, roomID: String)
    /// `metadata` holds `direction`, the numbers, `instructions`, `data`, `agent_id`, `org_id`, `project_id`.
    case callStarted(sessionID: String, jobID: String, roomID: String, agentID: String, voiceProfileID: String?, metadata: JSONValue)
    /// A whole user turn.
    case userText(String)
    case userInterrupted

    enum Kind: String {
        case helloAck = "hello.ack"
        case callStarted = "call.started"
        case userText = "user.text"
        case userInterrupted = "user.interrupted"
    }

    init?(_ frame: CallFrame) {
        switch Kind(rawValue: frame.event) {
        case .helloAck:
            self = .helloAck(
                callID: frame.callID ?? "", sessionID: frame.sessionID ?? "", jobID: frame.jobID ?? "", roomID: frame.roomID ?? "")
        case .callStarted:
            self = .callStarted(
                sessionID: frame.sessionID ?? "", jobID: frame.jobID ?? "", roomID: frame.roomID ?? "", agentID: frame.agentID ?? "",
                voiceProfileID: frame.voiceProfileID, metadata: frame.metadata ?? .object([:]))
        case .userText: self = .userText(frame.text ?? "")
        case .userInterrupted: self = .userInterrupted
        case nil: return nil
        }
    }

    var frame: CallFrame {
        switch self {
        case .helloAck(let callID, let sessionID, let jobID, let roomID):
            var frame = CallFrame(event: Kind.helloAck.rawValue)
            frame.protocolVersion = BridgeProtocol.version
            frame.callID = callID
            frame.sessionID = sessionID
            frame.jobID = jobID
            frame.roomID = roomID
            return frame
        case .callStarted(let sessionID, let jobID, let roomID, let agentID, let voiceProfileID, let metadata):
            var frame = CallFrame(event: Kind.callStarted.rawValue)
            frame.sessionID = sessionID
            frame.jobID = jobID
            frame.roomID = roomID
            frame.agentID = agentID
            frame.voiceProfileID = voiceProfileID
            frame.metadata = metadata
            return frame
        case .userText(let text):
            var frame = CallFrame(event: Kind.userText.rawValue)
            frame.text = text
            frame.isFinal = true
            return frame
        case .userInterrupted:
            var frame = CallFrame(event: Kind.userInterrupted.rawValue)
            frame.turnID = 0
            return frame
        }
    }
}
