import Foundation

/// An organization's webhook endpoint as the API shows it: never its secret.
public struct WebhookEndpoint: Sendable, Equatable {
    public var endpointID: String
    public var url: String
    public var description: String
    /// Empty: every event.
    public var events: [WebhookEventType]
    public var disabledAt: Date?
    public var disabledReason: String?
    /// Until when the previous secret still signs (after a rotation).
    public var previousSecretUntil: Date?
    public var created: Date
    public var modified: Date

    public init(
        endpointID: String, url: String, description: String, events: [WebhookEventType], disabledAt: Date?, disabledReason: String?,
        previousSecretUntil: Date?, created: Date, modified: Date
    ) {
        self.endpointID = endpointID
        self.url = url
        self.description = description
        self.events = events
        self.disabledAt = disabledAt
        self.disabledReason = disabledReason
        self.previousSecretUntil = previousSecretUntil
        self.created = created
        self.modified = modified
    }
}
