import Foundation

/// What the server sends a worker: `registered` once, `assignment` per lease, and one answer to
/// each of the worker's messages. A type this version does not know (from a newer server) is
/// ``unknown(type:)``.
public enum WorkerServerMessage: Sendable, Equatable {
    case registered(workerID: String, leaseSeconds: Int, heartbeatSeconds: Int)
    case assignment(leaseID: String, leaseExpiresAt: Date, task: CallTask)
    /// A heartbeat or progress extended the lease.
    case renewed(leaseID: String)
    case completed(leaseID: String)
    /// The failure was recorded; `retry` says whether the task will be tried again.
    case failed(leaseID: String, retry: Bool)
    /// The lease is not (or no longer) this worker's; nothing was recorded.
    case refused(leaseID: String?, reason: String)
    case error(leaseID: String?, reason: String)
    /// A phone call for a gateway to place (outbound) or carry (the inbound call it reported).
    case callAssign(PhoneCallAssignment)
    /// A gateway's `call.status` was recorded.
    case callUpdated(callID: String)
    /// A gateway's inbound call was refused (no agent attached to the number, no such number).
    case callRefused(toNumber: String?, reason: String)
    /// A call the gateway carries ended on the server's side (hangup, the agent, a limit): stop it.
    case callEnded(callID: String, status: String, endReason: String?)
    case unknown(type: String)

    /// The `type` of each message this version knows: the one place they are spelled.
    enum Kind: String {
        case registered, assignment, renewed, completed, failed, refused, error
        case callAssign = "call.assign"
        case callUpdated = "call.updated"
        case callRefused = "call.refused"
        case callEnded = "call.ended"
    }

    /// The frame's `type`.
    public var type: String {
        switch self {
        case .registered: Kind.registered.rawValue
        case .assignment: Kind.assignment.rawValue
        case .renewed: Kind.renewed.rawValue
        case .completed: Kind.completed.rawValue
        case .failed: Kind.failed.rawValue
        case .refused: Kind.refused.rawValue
        case .error: Kind.error.rawValue
        case .callAssign: Kind.callAssign.rawValue
        case .callUpdated: Kind.callUpdated.rawValue
        case .callRefused: Kind.callRefused.rawValue
        case .callEnded: Kind.callEnded.rawValue
        case .unknown(let type): type
        }
    }
}

extension WorkerServerMessage {
    init(_ frame: WorkerFrame) {
        switch (Kind(rawValue: frame.type), frame.leaseID) {
        case (.registered, _):
            self = .registered(
                workerID: frame.workerID ?? "", leaseSeconds: frame.leaseSeconds ?? 0,
                heartbeatSeconds: frame.heartbeatSeconds ?? 0)
        case (.assignment, let lease?):
            guard let task = frame.task, let expiry = frame.leaseExpiresAt else {
                self = .error(leaseID: lease, reason: "an assignment without a task")
                return
            }
            self = .assignment(leaseID: lease, leaseExpiresAt: expiry, task: task)
        case (.renewed, let lease?): self = .renewed(leaseID: lease)
        case (.completed, let lease?): self = .completed(leaseID: lease)
        case (.failed, let lease?): self = .failed(leaseID: lease, retry: frame.retry ?? false)
        case (.refused, let lease): self = .refused(leaseID: lease, reason: frame.reason ?? "")
        case (.error, let lease): self = .error(leaseID: lease, reason: frame.reason ?? "")
        case (.callAssign, _):
            guard let call = frame.call else {
                self = .error(leaseID: nil, reason: "a call.assign without a call")
                return
            }
            self = .callAssign(call)
        case (.callUpdated, _): self = .callUpdated(callID: frame.callID ?? "")
        case (.callRefused, _): self = .callRefused(toNumber: frame.toNumber, reason: frame.reason ?? "")
        case (.callEnded, _): self = .callEnded(callID: frame.callID ?? "", status: frame.status ?? "", endReason: frame.endReason)
        default: self = .unknown(type: frame.type)
        }
    }
}

extension WorkerFrame {
    init(_ message: WorkerServerMessage) {
        switch message {
        case .registered(let workerID, let leaseSeconds, let heartbeatSeconds):
            self.init(type: message.type)
            self.workerID = workerID
            self.leaseSeconds = leaseSeconds
            self.heartbeatSeconds = heartbeatSeconds
        case .assignment(let lease, let expiry, let task):
            self.init(type: message.type)
            leaseID = lease
            leaseExpiresAt = expiry
            self.task = task
        case .renewed(let lease):
            self.init(type: message.type)
            leaseID = lease
        case .completed(let lease):
            self.init(type: message.type)
            leaseID = lease
        case .failed(let lease, let retry):
            self.init(type: message.type)
            leaseID = lease
            self.retry = retry
        case .refused(let lease, let reason):
            self.init(type: message.type)
            leaseID = lease
            self.reason = reason
        case .error(let lease, let reason):
            self.init(type: message.type)
            leaseID = lease
            self.reason = reason
        case .callAssign(let call):
            self.init(type: message.type)
            self.call = call
        case .callUpdated(let callID):
            self.init(type: message.type)
            self.callID = callID
        case .callRefused(let toNumber, let reason):
            self.init(type: message.type)
            self.toNumber = toNumber
            self.reason = reason
        case .callEnded(let callID, let status, let endReason):
            self.init(type: message.type)
            self.callID = callID
            self.status = status
            self.endReason = endReason
        case .unknown(let type):
            self.init(type: type)
        }
    }
}
