import Foundation
import UnpodCore

/// One queued evaluation, claimed by a node: the block's definition as its call ended, and the
/// call's transcript. `attempt` fences the answer: only the holder of the latest claim stores it.
public struct AnalyticsEvaluation: Sendable {
    public var rowID: Int
    public var resultID: String
    public var attempt: Int
    public var definition: AnalyticsBlockDefinition
    public var blockVersion: Int
    public var callID: String
    public var callStatus: String
    public var direction: String
    public var transcript: [TranscriptTurn]
    /// When the call ended (the queue entry's creation): the start of the overhead it measures.
    public var queuedAt: Date
}
