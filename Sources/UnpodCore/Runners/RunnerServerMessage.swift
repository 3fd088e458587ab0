/// What the server sends a runner, and nothing else (the runner drops the socket on any other
/// type): the answer to `register`, a call to dial, and a call to abandon.
public enum RunnerServerMessage: Sendable, Equatable {
    case registered(heartbeatIntervalSeconds: Int, transportAck: String)
    case jobAssign(RunnerJobAssignment)
    case jobCancel(jobID: String)

    enum Kind: String {
        case registered
        case jobAssign = "job.assign"
        case jobCancel = "job.cancel"
    }

    public var type: String {
        switch self {
        case .registered: Kind.registered.rawValue
        case .jobAssign: Kind.jobAssign.rawValue
        case .jobCancel: Kind.jobCancel.rawValue
        }
    }
}

extension RunnerServerMessage {
    /// Nil for a frame that is not one of the three, or lacks what its kind needs.
    init?(_ frame: RunnerFrame) {
        switch Kind(rawValue: frame.type) {
        case .registered:
            guard let interval = frame.heartbeatIntervalSeconds, let ack = frame.transportAck else { return nil }
            self = .registered(heartbeatIntervalSeconds: interval, transportAck: ack)
        case .jobAssign:
            guard let jobID = frame.jobID, let callID = frame.callID, let agentID = frame.agentID,
                let bridgeURL = frame.bridgeURL, let callToken = frame.callToken
            else { return nil }
            self = .jobAssign(
                RunnerJobAssignment(
                    jobID: jobID, callID: callID, agentID: agentID, bridgeURL: bridgeURL, callToken: callToken,
                    assignID: frame.assignID ?? "", deadlineMilliseconds: frame.deadlineMilliseconds ?? 2000,
                    metadata: frame.metadata ?? .object([:])))
        case .jobCancel:
            guard let jobID = frame.jobID else { return nil }
            self = .jobCancel(jobID: jobID)
        case nil:
            return nil
        }
    }
}

extension RunnerFrame {
    init(_ message: RunnerServerMessage) {
        self.init(type: message.type)
        switch message {
        case .registered(let interval, let ack):
            heartbeatIntervalSeconds = interval
            transportAck = ack
        case .jobAssign(let assignment):
            jobID = assignment.jobID
            callID = assignment.callID
            agentID = assignment.agentID
            bridgeURL = assignment.bridgeURL
            callToken = assignment.callToken
            assignID = assignment.assignID
            deadlineMilliseconds = assignment.deadlineMilliseconds
            metadata = assignment.metadata
        case .jobCancel(let jobID):
            self.jobID = jobID
        }
    }
}
