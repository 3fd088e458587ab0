import Foundation

/// How a try ended, as the dispatcher saw it: `delivered` (2xx), `gone` (410: the endpoint is
/// disabled at once), or `failed`, tried again after `retryIn` unless the schedule is spent (nil).
public struct WebhookAttemptResult: Sendable {
    public enum Outcome: Sendable, Equatable {
        case delivered
        case gone
        case failed(retryIn: TimeInterval?)
    }

    public var outcome: Outcome
    public var statusCode: Int?
    public var latencyMS: Int
    /// The start of the endpoint's answer.
    public var response: String
    public var error: String?

    public init(outcome: Outcome, statusCode: Int?, latencyMS: Int, response: String, error: String?) {
        self.outcome = outcome
        self.statusCode = statusCode
        self.latencyMS = latencyMS
        self.response = response
        self.error = error
    }
}
