import Foundation

/// A phone call given to a gateway on `/agents/worker` (issue 17, item 4): the numbers, the agent,
/// and where the gateway speaks for the person on the line (the caller-side socket `media_url`,
/// with `token`). Outbound: the gateway dials `to_number`; inbound: the call it reported.
public struct PhoneCallAssignment: Codable, Sendable, Equatable {
    public var callID: String
    public var direction: String
    public var agentID: String
    public var toNumber: String?
    public var fromNumber: String?
    public var mediaURL: String
    public var token: String
    /// For a campaign's task carried out as this call: the worker's lease on it. The server completes
    /// the task when the call ends (the worker sends no result) and answers `completed` for the lease.
    public var leaseID: String?

    public init(
        callID: String, direction: String, agentID: String, toNumber: String?, fromNumber: String?, mediaURL: String, token: String,
        leaseID: String? = nil
    ) {
        self.leaseID = leaseID
        self.callID = callID
        self.direction = direction
        self.agentID = agentID
        self.toNumber = toNumber
        self.fromNumber = fromNumber
        self.mediaURL = mediaURL
        self.token = token
    }

    enum CodingKeys: String, CodingKey {
        case direction, token
        case callID = "call_id"
        case agentID = "agent_id"
        case toNumber = "to_number"
        case fromNumber = "from_number"
        case mediaURL = "media_url"
        case leaseID = "lease_id"
    }
}
