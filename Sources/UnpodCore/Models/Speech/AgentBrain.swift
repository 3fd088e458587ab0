import Foundation

/// What answers for an agent in a call (issue 17): the developer's runner, a prompt the server runs
/// against the operator's model, the agent's own OpenAI-compatible endpoint, or a playbook (stored,
/// not run by this server).
public struct AgentBrain: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable { case runner, prompt, endpoint, playbook }

    public var kind: Kind
    /// The prompt's text, the endpoint's URL, the playbook's id, or the runner's agent id.
    public var ref: String?
    /// The endpoint's settings (`model`, `headers`, `query`, `extra_body`, `timeout_s`,
    /// `max_retries`), without `api_key`, which is sealed apart.
    public var configuration: [String: JSONValue]
    /// Whether an `api_key` is stored for the endpoint (its value is never read back).
    public var hasAPIKey: Bool

    public init(kind: Kind, ref: String?, configuration: [String: JSONValue] = [:], hasAPIKey: Bool = false) {
        self.kind = kind
        self.ref = ref
        self.configuration = configuration
        self.hasAPIKey = hasAPIKey
    }

    /// How the brain reads back: the key masked, never its value.
    public var configurationForReading: [String: JSONValue] {
        var shown = configuration
        if hasAPIKey { shown["api_key"] = .string("********") }
        return shown
    }
}
