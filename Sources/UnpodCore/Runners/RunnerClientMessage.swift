/// What a runner sends: `register` first and once, then `heartbeat` every interval and one
/// `job.ack` per `job.assign`. Fields a runner may leave out are optional, so the server can say
/// what is missing; a type this server does not know is ``unknown(type:)``.
public enum RunnerClientMessage: Sendable, Equatable {
    case register(workerID: String?, pool: String?, capabilities: RunnerCapabilities?)
    case heartbeat(activeJobs: Int?, workerID: String?)
    case jobAck(jobID: String?, assignID: String?, accepted: Bool?, reason: String?)
    case unknown(type: String)

    /// The `type` of each message the server reads: the one place they are spelled.
    enum Kind: String {
        case register, heartbeat
        case jobAck = "job.ack"
    }

    public var type: String {
        switch self {
        case .register: Kind.register.rawValue
        case .heartbeat: Kind.heartbeat.rawValue
        case .jobAck: Kind.jobAck.rawValue
        case .unknown(let type): type
        }
    }
}

extension RunnerClientMessage {
    init(_ frame: RunnerFrame) {
        switch Kind(rawValue: frame.type) {
        case .register: self = .register(workerID: frame.workerID, pool: frame.pool, capabilities: frame.capabilities)
        case .heartbeat: self = .heartbeat(activeJobs: frame.activeJobs, workerID: frame.workerID)
        case .jobAck: self = .jobAck(jobID: frame.jobID, assignID: frame.assignID, accepted: frame.accepted, reason: frame.reason)
        case nil: self = .unknown(type: frame.type)
        }
    }
}

extension RunnerFrame {
    init(_ message: RunnerClientMessage) {
        self.init(type: message.type)
        switch message {
        case .register(let workerID, let pool, let capabilities):
            self.workerID = workerID
            self.pool = pool
            self.capabilities = capabilities
        case .heartbeat(let activeJobs, let workerID):
            self.activeJobs = activeJobs
            self.workerID = workerID
        case .jobAck(let jobID, let assignID, let accepted, let reason):
            self.jobID = jobID
            self.assignID = assignID
            self.accepted = accepted
            self.reason = reason
        case .unknown: break
        }
    }
}
