import UnpodCore

/// A call to create: a web call for an agent (the caller side authenticates with `callerToken`).
public struct NewCall: Sendable {
    public var orgID: Int
    public var agent: AgentRecord
    public var direction: String
    public var toNumber: String?
    public var fromNumber: String?
    public var instructions: String?
    public var data: JSONValue
    public var callerToken: String
    public var pipeID: String?
    /// The node that holds the call (its state lives there). Required: a call of no node would
    /// be ended only by the sweep of such calls, seconds later.
    public var nodeID: String

    public init(
        orgID: Int, agent: AgentRecord, direction: String, toNumber: String? = nil, fromNumber: String? = nil,
        instructions: String? = nil, data: JSONValue = .object([:]), callerToken: String, pipeID: String? = nil, nodeID: String
    ) {
        self.nodeID = nodeID
        self.pipeID = pipeID
        self.orgID = orgID
        self.agent = agent
        self.direction = direction
        self.toNumber = toNumber
        self.fromNumber = fromNumber
        self.instructions = instructions
        self.data = data
        self.callerToken = callerToken
    }
}
