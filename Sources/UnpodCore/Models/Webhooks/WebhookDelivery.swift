import Foundation

/// One message's delivery to one endpoint: `pending` (queued or waiting for its next try),
/// `delivered`, `failed` (every try of the schedule failed) or `held` (the endpoint is disabled;
/// sent when it is enabled again).
public struct WebhookDelivery: Sendable, Equatable {
    public var messageID: String
    public var eventType: String
    public var status: String
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var deliveredAt: Date?
    public var created: Date

    public init(messageID: String, eventType: String, status: String, attempts: Int, nextAttemptAt: Date?, deliveredAt: Date?, created: Date) {
        self.messageID = messageID
        self.eventType = eventType
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.deliveredAt = deliveredAt
        self.created = created
    }
}
