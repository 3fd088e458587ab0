import Foundation

/// TSK-2 / TSK-2b body: one task per document, all carried out by the agent `pilot`.
public struct CreateTasksRequest: Codable, Sendable, Equatable {
    /// `now`, or `at` with a time: tasks wait until then.
    public enum Schedule: Codable, Sendable, Equatable {
        case now
        case at(Date)

        enum CodingKeys: String, CodingKey { case type, time }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            switch try container.decode(String.self, forKey: .type) {
            case "now": self = .now
            case "at": self = .at(try container.decode(Date.self, forKey: .time))
            default:
                throw DecodingError.dataCorruptedError(
                    forKey: .type, in: container, debugDescription: "schedule.type must be now or at")
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .now: try container.encode("now", forKey: .type)
            case .at(let time):
                try container.encode("at", forKey: .type)
                try container.encode(time, forKey: .time)
            }
        }
    }

    public var pilot: String
    /// Each stored whole as its task's `input`; `name` and `contact_number` are required.
    public var documents: [JSONValue]
    public var context: String?
    public var schedule: Schedule?

    public init(pilot: String, documents: [JSONValue], context: String? = nil, schedule: Schedule? = nil) {
        self.pilot = pilot
        self.documents = documents
        self.context = context
        self.schedule = schedule
    }
}

/// TSK-2's answer.
public struct CreatedRun: Codable, Sendable, Equatable {
    public var runID: String
    public var taskIDs: [String]
    public var status: CallTask.Status

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case taskIDs = "task_ids"
        case status
    }

    public init(runID: String, taskIDs: [String], status: CallTask.Status) {
        self.runID = runID
        self.taskIDs = taskIDs
        self.status = status
    }
}
