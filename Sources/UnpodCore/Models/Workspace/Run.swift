import Foundation

/// A run (platform-api.md 2.5): the tasks of one create request.
public struct Run: Codable, Sendable, Equatable {
    public var runID: String
    /// The space's token: the collection the run's contacts came from.
    public var collectionRef: String
    /// How the run is carried out: `workers` (tasks dispatched to agent workers).
    public var runMode: String
    public var status: CallTask.Status
    public var created: Date
    public var modified: Date

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case collectionRef = "collection_ref"
        case runMode = "run_mode"
        case status, created, modified
    }

    public init(runID: String, collectionRef: String, runMode: String, status: CallTask.Status, created: Date, modified: Date) {
        self.runID = runID
        self.collectionRef = collectionRef
        self.runMode = runMode
        self.status = status
        self.created = created
        self.modified = modified
    }
}
