import Foundation

/// A pipe (the SDK's `client.pipes`, and what `POST …/agent/voice` answers): a name, a voice
/// profile and call settings bound to one agent. Sessions made with its `pipe_id` reach that agent.
public struct SpeechPipe: Sendable, Equatable {
    public var pipeID: String
    public var orgHandle: String
    public var agentHandle: String
    public var name: String
    public var voiceProfileID: String?
    public var recording: Bool
    public var maxCallDurationSeconds: Int
    /// The agent's brain as the pipe reads it back (`agent_endpoint`, `playbook_id`).
    public var brain: AgentBrain?
    /// The SDK's other settings, kept as sent (`domain`, `background_sound…`, `noise_cancellation`, …).
    public var extra: [String: JSONValue]
    public var created: Date
    public var modified: Date

    public init(
        pipeID: String, orgHandle: String, agentHandle: String, name: String, voiceProfileID: String?, recording: Bool,
        maxCallDurationSeconds: Int, brain: AgentBrain?, extra: [String: JSONValue], created: Date, modified: Date
    ) {
        self.pipeID = pipeID
        self.orgHandle = orgHandle
        self.agentHandle = agentHandle
        self.name = name
        self.voiceProfileID = voiceProfileID
        self.recording = recording
        self.maxCallDurationSeconds = maxCallDurationSeconds
        self.brain = brain
        self.extra = extra
        self.created = created
        self.modified = modified
    }
}
