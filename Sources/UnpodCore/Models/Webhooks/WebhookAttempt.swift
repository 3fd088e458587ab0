import Foundation

/// One try of a delivery: when, the answer's status (none when the request failed), how long it
/// took, and the start of the answer or the error.
public struct WebhookAttempt: Sendable, Equatable {
    public var messageID: String
    public var eventType: String
    public var attempt: Int
    public var attemptedAt: Date
    public var statusCode: Int?
    public var latencyMS: Int
    public var response: String
    public var error: String?
    public var succeeded: Bool

    public init(
        messageID: String, eventType: String, attempt: Int, attemptedAt: Date, statusCode: Int?, latencyMS: Int, response: String, error: String?,
        succeeded: Bool
    ) {
        self.messageID = messageID
        self.eventType = eventType
        self.attempt = attempt
        self.attemptedAt = attemptedAt
        self.statusCode = statusCode
        self.latencyMS = latencyMS
        self.response = response
        self.error = error
        self.succeeded = succeeded
    }
}
