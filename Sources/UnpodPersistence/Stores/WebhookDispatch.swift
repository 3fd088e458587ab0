import Foundation
import UnpodCore

/// A delivery this node claimed: what to send where, signed with which secrets. `attempt` fences
/// the answer (a node whose lease ran out cannot record it after another node took the delivery).
public struct WebhookDispatch: Sendable {
    public var deliveryRowID: Int
    public var endpointRowID: Int
    public var endpointID: String
    public var url: String
    /// The current secret first; the previous one while a rotation overlaps.
    public var secrets: [WebhookSecret]
    public var messageID: String
    public var eventType: String
    /// The exact bytes signed and sent.
    public var payload: [UInt8]
    public var attempt: Int
    /// Failed tries so far in this round of the schedule (a resend or replay starts a new round).
    public var step: Int
}
