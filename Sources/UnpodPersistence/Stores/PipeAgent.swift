import Foundation
import UnpodCore

/// The agent a new pipe binds: one of the organization's, or one made with it (the embedded
/// agent of `POST …/agent/voice` from an endpoint, a prompt or a playbook).
public enum PipeAgent: Sendable {
    case existing(AgentRecord)
    case new(handle: String, name: String, settings: SpeechSettings, apiKey: String?)
}
