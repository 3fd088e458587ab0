import Foundation

/// One task: one call to one contact (platform-api.md 2.4.3), with every field of the three
/// documented views (space tasks, agent tasks, run tasks).
public struct CallTask: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable, CaseIterable { case pending, running, completed, failed }

    public struct UserInfo: Codable, Sendable, Equatable {
        public var email: String
        public var fullName: String

        enum CodingKeys: String, CodingKey {
            case email
            case fullName = "full_name"
        }

        public init(email: String, fullName: String) {
            self.email = email
            self.fullName = fullName
        }
    }

    public struct Objective: Codable, Sendable, Equatable {
        public var objective: String
        public init(objective: String) { self.objective = objective }
    }

    /// The storage id: 24 hex digits.
    public var storageID: String
    public var threadID: String
    public var userInfo: UserInfo
    public var taskID: String
    public var runID: String
    public var task: Objective
    /// The submitted document, whole.
    public var input: JSONValue
    /// The call result; `{}` until the task is completed.
    public var output: JSONValue
    public var attachments: [JSONValue]
    public var assignee: String
    public var status: Status
    public var executionType: String
    public var refID: String?
    public var runMode: String
    public var failureCount: Int
    public var lastFailureReason: String?
    public var retryAttempt: Int
    public var lastStatusChange: Date
    public var scheduledTimestamp: Date?
    public var created: Date
    public var modified: Date

    enum CodingKeys: String, CodingKey {
        case storageID = "_id"
        case threadID = "thread_id"
        case userInfo = "user_info"
        case taskID = "task_id"
        case runID = "run_id"
        case task, input, output, attachments, assignee, status, created, modified
        case executionType = "execution_type"
        case refID = "ref_id"
        case runMode = "run_mode"
        case failureCount = "failure_count"
        case lastFailureReason = "last_failure_reason"
        case retryAttempt = "retry_attempt"
        case lastStatusChange = "last_status_change"
        case scheduledTimestamp = "scheduled_timestamp"
    }

    public init(
        storageID: String, threadID: String, userInfo: UserInfo, taskID: String, runID: String, task: Objective,
        input: JSONValue, output: JSONValue, attachments: [JSONValue], assignee: String, status: Status,
        executionType: String, refID: String?, runMode: String, failureCount: Int, lastFailureReason: String?,
        retryAttempt: Int, lastStatusChange: Date, scheduledTimestamp: Date?, created: Date, modified: Date
    ) {
        self.storageID = storageID
        self.threadID = threadID
        self.userInfo = userInfo
        self.taskID = taskID
        self.runID = runID
        self.task = task
        self.input = input
        self.output = output
        self.attachments = attachments
        self.assignee = assignee
        self.status = status
        self.executionType = executionType
        self.refID = refID
        self.runMode = runMode
        self.failureCount = failureCount
        self.lastFailureReason = lastFailureReason
        self.retryAttempt = retryAttempt
        self.lastStatusChange = lastStatusChange
        self.scheduledTimestamp = scheduledTimestamp
        self.created = created
        self.modified = modified
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(storageID, forKey: .storageID)
        try container.encode(threadID, forKey: .threadID)
        try container.encode(userInfo, forKey: .userInfo)
        try container.encode(taskID, forKey: .taskID)
        try container.encode(runID, forKey: .runID)
        try container.encode(task, forKey: .task)
        try container.encode(input, forKey: .input)
        try container.encode(output, forKey: .output)
        try container.encode(attachments, forKey: .attachments)
        try container.encode(assignee, forKey: .assignee)
        try container.encode(status, forKey: .status)
        try container.encode(executionType, forKey: .executionType)
        try container.encode(refID, forKey: .refID)
        try container.encode(runMode, forKey: .runMode)
        try container.encode(failureCount, forKey: .failureCount)
        try container.encode(lastFailureReason, forKey: .lastFailureReason)
        try container.encode(retryAttempt, forKey: .retryAttempt)
        try container.encode(lastStatusChange, forKey: .lastStatusChange)
        try container.encode(scheduledTimestamp, forKey: .scheduledTimestamp)
        try container.encode(created, forKey: .created)
        try container.encode(modified, forKey: .modified)
    }
}
