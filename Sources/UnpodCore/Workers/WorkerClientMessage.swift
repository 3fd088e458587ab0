/// What a worker sends: `register` first and once, then per lease `heartbeat`, `progress` and one
/// of `complete` or `fail`. Fields a worker may leave out are optional here, so the server can
/// answer what is missing instead of dropping the frame; a type this version does not know is
/// ``unknown(type:leaseID:)``.
public enum WorkerClientMessage: Sendable, Equatable {
    /// `gateway`: the worker also carries its organization's phone calls (``PhoneCallAssignment``).
    case register(agents: [String]?, capacity: Int?, version: Int?, gateway: Bool?)
    case heartbeat(leaseID: String?)
    /// `status` is `running`.
    case progress(leaseID: String?, status: String?)
    /// `output` is the call's result object (platform-api.md 2.4.3).
    case complete(leaseID: String?, output: JSONValue?)
    case fail(leaseID: String?, reason: String?)
    /// A gateway's news of a phone call: `ringing`, `active`, or `notConnected` with why (LiveKit's
    /// end reasons, such as `USER_DID_NOT_PICK_UP`).
    case callStatus(callID: String?, status: String?, reason: String?)
    /// A gateway's inbound call to one of the organization's numbers; answered with the call's
    /// assignment, or refused with the reason.
    case inboundCall(toNumber: String?, fromNumber: String?)
    case unknown(type: String, leaseID: String?)

    public static func register(agents: [String], capacity: Int, gateway: Bool) -> WorkerClientMessage {
        .register(agents: agents, capacity: capacity, version: WorkerProtocol.version, gateway: gateway)
    }

    public static func register(agents: [String], capacity: Int) -> WorkerClientMessage {
        .register(agents: agents, capacity: capacity, version: WorkerProtocol.version, gateway: nil)
    }

    /// The lease a message is about (none for `register`).
    public var leaseID: String? {
        switch self {
        case .register, .callStatus, .inboundCall: nil
        case .heartbeat(let lease), .progress(let lease, _), .complete(let lease, _), .fail(let lease, _),
            .unknown(_, let lease):
            lease
        }
    }

    /// The `type` of each message this version knows: the one place they are spelled.
    enum Kind: String {
        case register, heartbeat, progress, complete, fail
        case callStatus = "call.status"
        case inboundCall = "call.inbound"
    }

    /// The frame's `type`.
    public var type: String {
        switch self {
        case .register: Kind.register.rawValue
        case .heartbeat: Kind.heartbeat.rawValue
        case .progress: Kind.progress.rawValue
        case .complete: Kind.complete.rawValue
        case .fail: Kind.fail.rawValue
        case .callStatus: Kind.callStatus.rawValue
        case .inboundCall: Kind.inboundCall.rawValue
        case .unknown(let type, _): type
        }
    }
}

extension WorkerClientMessage {
    init(_ frame: WorkerFrame) {
        switch Kind(rawValue: frame.type) {
        case .register: self = .register(agents: frame.agents, capacity: frame.capacity, version: frame.v, gateway: frame.gateway)
        case .heartbeat: self = .heartbeat(leaseID: frame.leaseID)
        case .progress: self = .progress(leaseID: frame.leaseID, status: frame.status)
        case .complete: self = .complete(leaseID: frame.leaseID, output: frame.output)
        case .fail: self = .fail(leaseID: frame.leaseID, reason: frame.reason)
        case .callStatus: self = .callStatus(callID: frame.callID, status: frame.status, reason: frame.reason)
        case .inboundCall: self = .inboundCall(toNumber: frame.toNumber, fromNumber: frame.fromNumber)
        case nil: self = .unknown(type: frame.type, leaseID: frame.leaseID)
        }
    }
}

extension WorkerFrame {
    init(_ message: WorkerClientMessage) {
        self.init(type: message.type)
        leaseID = message.leaseID
        switch message {
        case .register(let agents, let capacity, let version, let gateway):
            self.agents = agents
            self.capacity = capacity
            self.gateway = gateway
            v = version
        case .progress(_, let status): self.status = status
        case .complete(_, let output): self.output = output
        case .fail(_, let reason): self.reason = reason
        case .callStatus(let callID, let status, let reason):
            self.callID = callID
            self.status = status
            self.reason = reason
        case .inboundCall(let toNumber, let fromNumber):
            self.toNumber = toNumber
            self.fromNumber = fromNumber
        case .heartbeat, .unknown: break
        }
    }
}
