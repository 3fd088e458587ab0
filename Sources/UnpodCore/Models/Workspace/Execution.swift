import Foundation

/// A run as AGT-3 lists it for one agent.
public struct Execution: Codable, Sendable, Equatable {
    public var runID: String
    public var status: CallTask.Status
    public var totalTasks: Int
    public var completedTasks: Int
    public var created: Date

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case status
        case totalTasks = "total_tasks"
        case completedTasks = "completed_tasks"
        case created
    }

    public init(runID: String, status: CallTask.Status, totalTasks: Int, completedTasks: Int, created: Date) {
        self.runID = runID
        self.status = status
        self.totalTasks = totalTasks
        self.completedTasks = completedTasks
        self.created = created
    }
}
