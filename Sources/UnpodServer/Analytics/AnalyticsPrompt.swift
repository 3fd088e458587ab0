import UnpodCore

/// The two messages an evaluation sends: the block's instructions (its prompt and what each key
/// of the answer means) and the call's transcript.
enum AnalyticsPrompt {
    static func system(_ block: AnalyticsBlockDefinition) -> String {
        var lines = [block.prompt, "", "Read the call transcript the user sends and answer with one JSON object that matches the schema:"]
        lines.append("- summary: " + (block.summaryDescription ?? "a short summary of the call"))
        if block.successEnabled {
            let choices = block.successChoices.map { " (one of: \($0.joined(separator: ", ")))" } ?? ""
            lines.append("- success_evaluation (\(block.successType)\(choices)): " + (block.successDescription ?? "whether the call achieved its goal"))
        }
        for field in block.fields {
            let choices = field.choices.map { " (one of: \($0.joined(separator: ", ")))" } ?? ""
            lines.append("- \(field.name) (\(field.type.rawValue)\(choices))" + (field.description.isEmpty ? "" : ": \(field.description)"))
        }
        lines.append("Where the call does not say, give an empty string, 0, false or an empty list.")
        return lines.joined(separator: "\n")
    }

    static func transcript(_ turns: [TranscriptTurn]) -> String {
        turns.map { ($0.role == .user ? "Caller: " : "Agent: ") + $0.content }.joined(separator: "\n")
    }
}
