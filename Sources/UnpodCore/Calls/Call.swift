import Foundation

/// A call as stored: one conversation between a caller side and an agent's brain.
public struct Call: Sendable, Equatable {
    public var callID: String
    public var orgID: Int
    public var orgHandle: String
    public var agentHandle: String
    public var direction: String
    public var status: CallStatus
    public var endReason: String?
    public var toNumber: String?
    public var fromNumber: String?
    public var instructions: String?
    public var data: JSONValue
    /// Nil on list rows (read only on a detail read).
    public var transcript: [TranscriptTurn]?
    public var transcriptTurns: Int
    public var createdAt: Date
    public var dispatchedAt: Date?
    public var connectedAt: Date?
    public var endedAt: Date?
    /// The pipe the call was made through (`sessions/token {pipe_id}`), if any.
    public var pipeID: String?

    public init(
        callID: String, orgID: Int, orgHandle: String, agentHandle: String, direction: String, status: CallStatus,
        endReason: String? = nil, toNumber: String? = nil, fromNumber: String? = nil, instructions: String? = nil,
        data: JSONValue = .object([:]), transcript: [TranscriptTurn]? = nil, transcriptTurns: Int = 0, createdAt: Date,
        dispatchedAt: Date? = nil, connectedAt: Date? = nil, endedAt: Date? = nil, pipeID: String? = nil
    ) {
        self.callID = callID
        self.orgID = orgID
        self.orgHandle = orgHandle
        self.agentHandle = agentHandle
        self.direction = direction
        self.status = status
        self.endReason = endReason
        self.toNumber = toNumber
        self.fromNumber = fromNumber
        self.instructions = instructions
        self.data = data
        self.transcript = transcript
        self.transcriptTurns = transcriptTurns
        self.createdAt = createdAt
        self.dispatchedAt = dispatchedAt
        self.connectedAt = connectedAt
        self.endedAt = endedAt
        self.pipeID = pipeID
    }

    /// Seconds from connection to end; 0 for a call that never connected.
    public var durationSeconds: Double {
        guard let connectedAt, let endedAt else { return 0 }
        return max(0, endedAt.timeIntervalSince(connectedAt))
    }
}
