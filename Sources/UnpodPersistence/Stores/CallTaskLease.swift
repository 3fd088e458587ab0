import Foundation

/// The task a live call carries out (a campaign's task whose agent has a brain): its lease, and
/// the worker's key the task's completion is audited under.
public struct CallTaskLease: Sendable, Equatable {
    public var leaseID: String
    public var actor: AuditActor

    public init(leaseID: String, actor: AuditActor) {
        self.leaseID = leaseID
        self.actor = actor
    }
}
