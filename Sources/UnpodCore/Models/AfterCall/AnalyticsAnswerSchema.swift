/// The JSON schema a block's evaluation must answer (OpenAI's structured output, strict), and the
/// check of an answer against it: the model's answer is stored only if it matches.
///
/// Every answer has `summary` (text) and, when the block evaluates success,
/// `success_evaluation`; then one key per field: `str`→string, `int`→integer, `float`→number,
/// `bool`→boolean, `list[str]`→array of strings, `enum`→one of its choices. Strict mode wants
/// every key required and no others; a field the call did not reveal is still answered (the
/// prompt says how), which keeps every row of the flat table the same shape.
public struct AnalyticsAnswerSchema: Sendable {
    public let definition: AnalyticsBlockDefinition

    public init(_ definition: AnalyticsBlockDefinition) { self.definition = definition }

    /// What a valid answer holds.
    public struct Answer: Sendable, Equatable {
        public var summary: String
        public var successEvaluation: JSONValue?
        public var data: [String: JSONValue]

        public init(summary: String, successEvaluation: JSONValue?, data: [String: JSONValue]) {
            self.summary = summary
            self.successEvaluation = successEvaluation
            self.data = data
        }
    }

    public var schema: JSONValue {
        var properties: [String: JSONValue] = ["summary": .object(["type": .string("string")])]
        var required: [JSONValue] = [.string("summary")]
        if definition.successEnabled {
            properties["success_evaluation"] = Self.schema(type: definition.successType, choices: definition.successChoices)
            required.append(.string("success_evaluation"))
        }
        for field in definition.fields {
            var property = Self.schema(for: field.type, choices: field.choices)
            if case .object(var members) = property, !field.description.isEmpty {
                members["description"] = .string(field.description)
                property = .object(members)
            }
            properties[field.name] = property
            required.append(.string(field.name))
        }
        return .object([
            "type": .string("object"), "properties": .object(properties), "required": .array(required),
            "additionalProperties": .bool(false),
        ])
    }

    private static func schema(for kind: AnalyticsField.Kind, choices: [String]?) -> JSONValue {
        switch kind {
        case .string: .object(["type": .string("string")])
        case .integer: .object(["type": .string("integer")])
        case .number: .object(["type": .string("number")])
        case .boolean: .object(["type": .string("boolean")])
        case .strings: .object(["type": .string("array"), "items": .object(["type": .string("string")])])
        case .choice: .object(["type": .string("string"), "enum": .array((choices ?? []).map(JSONValue.string))])
        }
    }

    private static func schema(type: String, choices: [String]?) -> JSONValue {
        switch type {
        case "enum": schema(for: .choice, choices: choices)
        case "str": schema(for: .string, choices: nil)
        default: schema(for: .boolean, choices: nil)
        }
    }

    /// Checks an answer against the schema; the error says the first thing that is wrong.
    public func validate(_ answer: JSONValue) throws(ContentError) -> Answer {
        guard case .object(let members) = answer else { throw ContentError("the answer is not a JSON object") }
        var known: Set<String> = ["summary"]
        guard let summary = members["summary"]?.stringValue else { throw ContentError("the answer has no summary text") }
        var success: JSONValue?
        if definition.successEnabled {
            known.insert("success_evaluation")
            guard let value = members["success_evaluation"] else { throw ContentError("the answer has no success_evaluation") }
            let kind: AnalyticsField.Kind = definition.successType == "enum" ? .choice : definition.successType == "str" ? .string : .boolean
            guard Self.matches(value, kind, choices: definition.successChoices) else {
                throw ContentError("success_evaluation is not a \(definition.successType)")
            }
            success = value
        }
        var data: [String: JSONValue] = [:]
        for field in definition.fields {
            known.insert(field.name)
            guard let value = members[field.name] else { throw ContentError("the answer has no \(field.name)") }
            guard Self.matches(value, field.type, choices: field.choices) else {
                let what = field.type == .choice ? "one of \((field.choices ?? []).joined(separator: ", "))" : field.type.rawValue
                throw ContentError("\(field.name) is not \(what)")
            }
            data[field.name] = value.normalized(for: field.type)
        }
        if let extra = members.keys.sorted().first(where: { !known.contains($0) }) {
            throw ContentError("the answer has \(extra), which the block does not ask for")
        }
        return Answer(summary: summary, successEvaluation: success, data: data)
    }

    static func matches(_ value: JSONValue, _ kind: AnalyticsField.Kind, choices: [String]?) -> Bool {
        switch (kind, value) {
        case (.string, .string): true
        case (.integer, .integer): true
        case (.integer, .number(let number)): number.rounded() == number && abs(number) < 1e15
        case (.number, .integer), (.number, .number): true
        case (.boolean, .bool): true
        case (.strings, .array): value.arrayOfStrings != nil
        case (.choice, .string(let text)): choices?.contains(text) ?? false
        default: false
        }
    }
}

extension JSONValue {
    /// A whole number sent as `3.0` stored as `3`, so an int field always reads back an integer.
    fileprivate func normalized(for kind: AnalyticsField.Kind) -> JSONValue {
        if kind == .integer, case .number(let number) = self { return .integer(Int64(number)) }
        return self
    }
}
