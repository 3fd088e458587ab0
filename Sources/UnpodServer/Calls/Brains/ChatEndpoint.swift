import Foundation
import UnpodCore

/// Where a server-run brain asks for its replies, resolved from the agent's brain and the
/// operator's model: a prompt brain uses the operator's URL and key, an endpoint brain its own.
struct ChatEndpoint: Sendable {
    var baseURL: String
    var model: String?
    var apiKey: String?
    var headers: [String: String] = [:]
    var query: [String: String] = [:]
    var extraBody: [String: JSONValue] = [:]
    var timeout: Duration
    var maxRetries: Int
    /// The system message: the prompt brain's text (and the call's instructions, if any).
    var systemPrompt: String?
    /// The function specs offered to the model (the agent's tools); none: no `tools` key is sent.
    var tools: [JSONValue] = []

    enum Unavailable: Error, CustomStringConvertible {
        case noOperatorModel
        var description: String { "prompt brains need the server's --llm-url (an OpenAI-compatible API)" }
    }

    init(brain: AgentBrain, apiKey: String?, operator model: LanguageModelConfiguration, instructions: String?) throws {
        var system: [String] = []
        switch brain.kind {
        case .prompt:
            guard let url = model.url else { throw Unavailable.noOperatorModel }
            baseURL = url
            self.model = brain.configuration["model"]?.stringValue ?? model.model
            self.apiKey = model.apiKey
            timeout = model.timeout
            maxRetries = model.maxRetries
            if let prompt = brain.ref { system.append(prompt) }
        default:
            let cfg = brain.configuration
            baseURL = brain.ref ?? ""
            self.model = cfg["model"]?.stringValue
            self.apiKey = apiKey
            if case .object(let map)? = cfg["headers"] { headers = map.compactMapValues(\.stringValue) }
            if case .object(let map)? = cfg["query"] { query = map.compactMapValues(\.stringValue) }
            if case .object(let map)? = cfg["extra_body"] { extraBody = map }
            timeout = .milliseconds(Int((cfg["timeout_s"]?.numberValue ?? 30) * 1000))
            maxRetries = cfg["max_retries"]?.integerValue ?? 2
        }
        if let instructions, !instructions.isEmpty { system.append(instructions) }
        systemPrompt = system.isEmpty ? nil : system.joined(separator: "\n\n")
    }

    /// `{base}/chat/completions` with the configured query.
    var completionsURL: String {
        var url = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        url += "/chat/completions"
        guard !query.isEmpty, var components = URLComponents(string: url) else { return url }
        components.queryItems = (components.queryItems ?? []) + query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        return components.string ?? url
    }

    /// The streamed request's body: the conversation so far, as the chat API takes it, then this
    /// turn's tool calls and their results (`extra`), and the tools on offer.
    func body(for transcript: [TranscriptTurn], extra: [JSONValue] = []) throws -> Data {
        var messages: [JSONValue] = []
        if let systemPrompt { messages.append(.object(["role": .string("system"), "content": .string(systemPrompt)])) }
        for turn in transcript {
            messages.append(.object(["role": .string(turn.role == .user ? "user" : "assistant"), "content": .string(turn.content)]))
        }
        messages += extra
        var body = extraBody
        body["messages"] = .array(messages)
        if !tools.isEmpty { body["tools"] = .array(tools) }
        body["stream"] = .bool(true)
        if let model { body["model"] = .string(model) }
        return try JSONEncoder().encode(JSONValue.object(body))
    }
}
