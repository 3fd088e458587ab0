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
