import Foundation

/// An agent's speech settings (the speech plane's `S/agents`): its brain, voices and call limits.
/// An agent without them has no brain and keeps the workspace's behaviour.
public struct SpeechSettings: Sendable, Equatable {
    public var brain: AgentBrain
    public var brainExecution: String
    public var greeting: String?
    public var recording: Bool
    public var maxCallDurationSeconds: Int
    public var maxConcurrent: Int
    public var voices: [AgentVoice]
    /// The SDK's other settings (`domain`, `background_sound…`, `noise_cancellation`,
    /// `cache_mode`, and any free key an update sends): kept and read back as sent.
    public var extra: [String: JSONValue]

    public static let longestCall = 14_400

    public init(
        brain: AgentBrain, brainExecution: String = "bridge", greeting: String? = nil, recording: Bool = false,
        maxCallDurationSeconds: Int = 3600, maxConcurrent: Int = 1, voices: [AgentVoice] = [], extra: [String: JSONValue] = [:]
    ) {
        self.brain = brain
        self.brainExecution = brainExecution
        self.greeting = greeting
        self.recording = recording
        self.maxCallDurationSeconds = maxCallDurationSeconds
        self.maxConcurrent = maxConcurrent
        self.voices = voices
        self.extra = extra
    }

    /// The greeting a call opens with: the default voice's own, else the agent's.
    public var openingGreeting: String? {
        voices.first(where: \.isDefault)?.greeting ?? greeting
    }
}
