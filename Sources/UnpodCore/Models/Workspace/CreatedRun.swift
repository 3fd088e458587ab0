import Foundation

/// A run just created (TSK-2): its id, its tasks' ids, and its status (`pending`).
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
