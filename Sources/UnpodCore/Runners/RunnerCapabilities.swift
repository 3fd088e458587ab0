/// What a runner says of itself when it registers (`capabilities`); the SDK sends more keys, which
/// are not read.
public struct RunnerCapabilities: Codable, Sendable, Equatable {
    /// Calls it takes at once (the SDK's default is 50).
    public var maxConcurrent: Int?
    /// The agent it runs: an agent handle of the key's organization.
    public var agentID: String?
    /// `dial_out` (0.5.0) or `serve` (older SDKs, which this server does not speak).
    public var transport: String?
    public var hostname: String?

    public init(maxConcurrent: Int? = nil, agentID: String? = nil, transport: String? = nil, hostname: String? = nil) {
        self.maxConcurrent = maxConcurrent
        self.agentID = agentID
        self.transport = transport
        self.hostname = hostname
    }

    enum CodingKeys: String, CodingKey {
        case transport, hostname
        case maxConcurrent = "max_concurrent"
        case agentID = "agent_id"
    }
}
