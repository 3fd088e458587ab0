import Foundation
import UnpodCore

/// An agent with its speech settings (nil: the agent has no brain).
public struct SpeechAgentRecord: Sendable, Equatable {
    public var record: AgentRecord
    public var settings: SpeechSettings?

    public var agent: Agent { record.agent }
}
