import Foundation

/// An organization's analytics block as stored: its current definition and version, whether it
/// is archived, and the agents it runs for.
public struct AnalyticsBlock: Sendable, Equatable {
    public enum State: String, Sendable { case active, archived }

    public var blockID: String
    public var orgHandle: String
    public var definition: AnalyticsBlockDefinition
    public var version: Int
    public var state: State
    public var agentHandles: [String]
    public var created: Date
    public var modified: Date

    public init(
        blockID: String, orgHandle: String, definition: AnalyticsBlockDefinition, version: Int, state: State, agentHandles: [String],
        created: Date, modified: Date
    ) {
        self.blockID = blockID
        self.orgHandle = orgHandle
        self.definition = definition
        self.version = version
        self.state = state
        self.agentHandles = agentHandles
        self.created = created
        self.modified = modified
    }
}
