/// One frame of the runner's control socket as it is on the wire (the SDK's `_protocol.py`): a
/// `type` and the fields of every kind, snake_case, absent when nil.
struct RunnerFrame: Codable, Equatable {
    var type: String
    // register
    var workerID: String?
    var pool: String?
    var capabilities: RunnerCapabilities?
    // registered
    var heartbeatIntervalSeconds: Int?
    var transportAck: String?
    // heartbeat
    var activeJobs: Int?
    // job.assign, job.ack, job.cancel
    var jobID: String?
    var callID: String?
    var agentID: String?
    var bridgeURL: String?
    var callToken: String?
    var assignID: String?
    var deadlineMilliseconds: Int?
    var metadata: JSONValue?
    var accepted: Bool?
    var reason: String?

    enum CodingKeys: String, CodingKey {
        case type, pool, capabilities, metadata, accepted, reason
        case workerID = "worker_id"
        case heartbeatIntervalSeconds = "heartbeat_interval_s"
        case transportAck = "transport_ack"
        case activeJobs = "active_jobs"
        case jobID = "job_id"
        case callID = "call_id"
        case agentID = "agent_id"
        case bridgeURL = "bridge_url"
        case callToken = "call_token"
        case assignID = "assign_id"
        case deadlineMilliseconds = "deadline_ms"
    }

    init(type: String) {
        self.type = type
    }
}
