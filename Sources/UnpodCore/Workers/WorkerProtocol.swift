import Foundation

/// The agent-worker protocol, version 1 (README, "Agent workers"): JSON text frames on
/// `/agents/worker?access_token=…`, each with a `type`. Shared by the server, the Swift SDK and
/// `unpod worker`.
///
/// Worker → server: `register` (first, once: `agents`, `capacity`), then per lease `heartbeat`,
/// `progress` (`status: running`), and one of `complete` (`output`) or `fail` (`reason`).
/// Server → worker: `registered` (`worker_id`, `lease_seconds`, `heartbeat_seconds`),
/// `assignment` (`lease_id`, `lease_expires_at`, `task`), and answers to results: `completed`,
/// `failed` (`retry`), `refused` (`reason`: the lease is no longer current) or `error`.
public enum WorkerProtocol {
    public static let version = 1
    public static let path = "/agents/worker"

    public struct ClientMessage: Codable, Sendable, Equatable {
        public var type: String
        public var v: Int?
        public var agents: [String]?
        public var capacity: Int?
        public var leaseID: String?
        public var status: String?
        public var output: JSONValue?
        public var reason: String?

        enum CodingKeys: String, CodingKey {
            case type, v, agents, capacity, status, output, reason
            case leaseID = "lease_id"
        }

        public init(
            type: String, agents: [String]? = nil, capacity: Int? = nil, leaseID: String? = nil, status: String? = nil,
            output: JSONValue? = nil, reason: String? = nil
        ) {
            self.type = type
            self.v = WorkerProtocol.version
            self.agents = agents
            self.capacity = capacity
            self.leaseID = leaseID
            self.status = status
            self.output = output
            self.reason = reason
        }

        public static func register(agents: [String], capacity: Int) -> ClientMessage {
            ClientMessage(type: "register", agents: agents, capacity: capacity)
        }
    }

    public struct ServerMessage: Codable, Sendable, Equatable {
        public var type: String
        public var v: Int
        public var workerID: String?
        public var leaseSeconds: Int?
        public var heartbeatSeconds: Int?
        public var leaseID: String?
        public var leaseExpiresAt: Date?
        public var task: CallTask?
        public var retry: Bool?
        public var reason: String?

        enum CodingKeys: String, CodingKey {
            case type, v, task, retry, reason
            case workerID = "worker_id"
            case leaseSeconds = "lease_seconds"
            case heartbeatSeconds = "heartbeat_seconds"
            case leaseID = "lease_id"
            case leaseExpiresAt = "lease_expires_at"
        }

        public init(
            type: String, workerID: String? = nil, leaseSeconds: Int? = nil, heartbeatSeconds: Int? = nil,
            leaseID: String? = nil, leaseExpiresAt: Date? = nil, task: CallTask? = nil, retry: Bool? = nil,
            reason: String? = nil
        ) {
            self.type = type
            self.v = WorkerProtocol.version
            self.workerID = workerID
            self.leaseSeconds = leaseSeconds
            self.heartbeatSeconds = heartbeatSeconds
            self.leaseID = leaseID
            self.leaseExpiresAt = leaseExpiresAt
            self.task = task
            self.retry = retry
            self.reason = reason
        }
    }

    public static func encode(_ message: some Encodable) -> String {
        (try? String(decoding: JSONEncoder.unpod().encode(message), as: UTF8.self)) ?? #"{"type":"error","v":1}"#
    }

    public static func decode<T: Decodable>(_ type: T.Type, _ text: String) -> T? {
        try? JSONDecoder.unpod().decode(T.self, from: Data(text.utf8))
    }
}
