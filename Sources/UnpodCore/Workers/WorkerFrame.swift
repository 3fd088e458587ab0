import Foundation

/// One frame of the worker protocol as it is on the wire: a `type`, the version `v`, and the
/// fields each message uses (absent ones left out). The messages themselves are the enums
/// ``WorkerClientMessage`` and ``WorkerServerMessage``; this is the only place their keys are spelled.
struct WorkerFrame: Codable, Equatable {
    var type: String
    var v: Int?
    var agents: [String]?
    var capacity: Int?
    var workerID: String?
    var leaseSeconds: Int?
    var heartbeatSeconds: Int?
    var leaseID: String?
    var leaseExpiresAt: Date?
    var task: CallTask?
    var status: String?
    var output: JSONValue?
    var retry: Bool?
    var reason: String?
    /// A gateway (issue 17): carries its organization's phone calls.
    var gateway: Bool?
    var call: PhoneCallAssignment?
    var callID: String?
    var toNumber: String?
    var fromNumber: String?
    var endReason: String?

    enum CodingKeys: String, CodingKey {
        case type, v, agents, capacity, task, status, output, retry, reason, gateway, call
        case callID = "call_id"
        case toNumber = "to_number"
        case fromNumber = "from_number"
        case endReason = "end_reason"
        case workerID = "worker_id"
        case leaseSeconds = "lease_seconds"
        case heartbeatSeconds = "heartbeat_seconds"
        case leaseID = "lease_id"
        case leaseExpiresAt = "lease_expires_at"
    }

    init(type: String) {
        self.type = type
        self.v = WorkerProtocol.version
    }
}
