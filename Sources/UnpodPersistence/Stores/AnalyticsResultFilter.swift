import UnpodCore

/// What `GET analytics-results` and a block's results narrow to; nil means any.
public struct AnalyticsResultFilter: Sendable {
    public var blockID: String?
    public var agentHandle: String?
    public var callID: String?
    public var status: AnalyticsResult.Status?
    public var limit: Int
    public var skip: Int

    public init(blockID: String? = nil, agentHandle: String? = nil, callID: String? = nil, status: AnalyticsResult.Status? = nil, limit: Int = 100, skip: Int = 0) {
        self.blockID = blockID
        self.agentHandle = agentHandle
        self.callID = callID
        self.status = status
        self.limit = limit
        self.skip = skip
    }
}
