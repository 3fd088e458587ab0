import UnpodCore

/// The tools the server itself implements for server-run brains (issue 18, item 3).
enum BuiltinTools {
    struct Tool: Sendable {
        let name: String
        let description: String
        /// `always` (every agent has it) or `opt-in` (attach it first).
        let availability: String
        let configKey: String?
        let parameters: JSONValue
    }

    static let all = [
        Tool(
            name: "end_call", description: "Ends the call once the conversation is over.", availability: "always", configKey: nil,
            parameters: .object(["type": .string("object"), "properties": .object(["reason": .object(["type": .string("string")])])])),
        Tool(
            name: "transfer", description: "Hands the caller to another agent or a phone number (through the phone gateway).",
            availability: "opt-in", configKey: "transfer",
            parameters: .object([
                "type": .string("object"), "required": .array([.string("target")]),
                "properties": .object([
                    "target": .object(["type": .string("string"), "description": .string("An agent's id or an E.164 number")]),
                    "transfer_type": .object(["type": .string("string"), "enum": .array([.string("agent"), .string("number")])]),
                ]),
            ])),
    ]

    static func named(_ name: String) -> Tool? { all.first { $0.name == name } }
}
