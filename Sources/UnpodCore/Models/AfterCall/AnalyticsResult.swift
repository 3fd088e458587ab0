import Foundation

/// One block's evaluation of one call. `pending` while queued or being asked; then `ok` (the
/// answer matched the block's schema), `failed` (with `error`) or `skipped` (nothing to analyse,
/// or the call was outside the block's condition).
public struct AnalyticsResult: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable { case pending, ok, failed, skipped }

    public var resultID: String
    public var blockID: String
    public var blockName: String
    public var blockVersion: Int
    /// The call's id; a session is a call.
    public var callID: String
    public var agentHandle: String
    public var status: Status
    public var summary: String
    public var successEvaluation: JSONValue?
    public var data: [String: JSONValue]
    public var error: String?
    public var model: String?
    public var latencyMS: Int?
    public var attempts: Int
    public var created: Date
    public var completed: Date?
    /// While pending: when it is (next) tried; a failed try moves it by the backoff.
    public var nextAttemptAt: Date?

    public init(
        resultID: String, blockID: String, blockName: String, blockVersion: Int, callID: String, agentHandle: String, status: Status,
        summary: String, successEvaluation: JSONValue?, data: [String: JSONValue], error: String?, model: String?, latencyMS: Int?,
        attempts: Int, created: Date, completed: Date?, nextAttemptAt: Date?
    ) {
        self.resultID = resultID
        self.blockID = blockID
        self.blockName = blockName
        self.blockVersion = blockVersion
        self.callID = callID
        self.agentHandle = agentHandle
        self.status = status
        self.summary = summary
        self.successEvaluation = successEvaluation
        self.data = data
        self.error = error
        self.model = model
        self.latencyMS = latencyMS
        self.attempts = attempts
        self.created = created
        self.completed = completed
        self.nextAttemptAt = nextAttemptAt
    }
}
