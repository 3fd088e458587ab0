import Foundation

/// The operator's OpenAI-compatible model for `prompt` brains (`--llm-url`, `--llm-model`, the key
/// from `UNPOD_LLM_API_KEY`, never from a flag, so it stays out of process listings and logs).
public struct LanguageModelConfiguration: Sendable {
    /// The API's base URL (`…/v1`); `chat/completions` is appended. Nil: prompt brains cannot run.
    public var url: String?
    public var model: String
    public var apiKey: String?
    /// How long one streamed answer may take, from the request to its last token.
    public var timeout: Duration
    /// Attempts after the first when the model fails before its first token.
    public var maxRetries: Int

    public init(url: String? = nil, model: String = "gpt-4o-mini", apiKey: String? = nil, timeout: Duration = .seconds(30), maxRetries: Int = 2) {
        self.url = url
        self.model = model
        self.apiKey = apiKey
        self.timeout = timeout
        self.maxRetries = maxRetries
    }
}

/// Printed without the key: service lists and errors describe values, and the key must never
/// reach a log.
extension LanguageModelConfiguration: CustomStringConvertible {
    public var description: String {
        "LanguageModelConfiguration(url: \(url ?? "none"), model: \(model), apiKey: \(apiKey == nil ? "none" : "<redacted>"))"
    }
}
