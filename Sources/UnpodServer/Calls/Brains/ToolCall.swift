/// One function call a model asked for in a streamed reply (`delta.tool_calls`, gathered by index).
struct ToolCall: Sendable, Equatable {
    var id: String
    var name: String
    /// The arguments as the model wrote them: a JSON object's text.
    var arguments: String
}
