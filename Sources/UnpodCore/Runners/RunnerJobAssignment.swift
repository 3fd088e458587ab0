/// `job.assign`: the call a runner is asked to take, and where and how to dial its bridge.
public struct RunnerJobAssignment: Codable, Sendable, Equatable {
    public var jobID: String
    public var callID: String
    public var agentID: String
    public var bridgeURL: String
    public var callToken: String
    /// Per attempt: a failover to another runner gets a new one, and the ack must echo it.
    public var assignID: String
    public var deadlineMilliseconds: Int
    public var metadata: JSONValue

    public init(
        jobID: String, callID: String, agentID: String, bridgeURL: String, callToken: String, assignID: String,
        deadlineMilliseconds: Int = 2000, metadata: JSONValue = .object([:])
    ) {
        self.jobID = jobID
        self.callID = callID
        self.agentID = agentID
        self.bridgeURL = bridgeURL
        self.callToken = callToken
        self.assignID = assignID
        self.deadlineMilliseconds = deadlineMilliseconds
        self.metadata = metadata
    }
}
