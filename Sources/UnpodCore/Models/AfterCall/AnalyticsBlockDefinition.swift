import Foundation

/// What an analytics block asks of a finished call: everything the evaluation needs, stored as
/// one JSON document per version, so a result is always evaluated against the version its call
/// ended under (a later update does not change a queued evaluation).
public struct AnalyticsBlockDefinition: Codable, Sendable, Equatable {
    public var name: String
    public var prompt: String
    public var fields: [AnalyticsField]
    public var summaryDescription: String?
    /// Overrides the operator's default model (`--llm-model`) for this block alone.
    public var model: String?
    public var successEnabled: Bool
    public var successDescription: String?
    /// `bool` (a yes or no), `enum` (one of `successChoices`) or `str` (free text).
    public var successType: String
    public var successChoices: [String]?
    /// When the block runs: `min_turns` (user turns, at least), `statuses` and `directions` (the
    /// call's, any of). A call outside it gets a `skipped` result saying why.
    public var condition: JSONValue?
    public var templateID: String?

    public static let successTypes = ["bool", "enum", "str"]
    public static let conditionKeys: Set<String> = ["min_turns", "statuses", "directions"]

    public init(
        name: String, prompt: String, fields: [AnalyticsField], summaryDescription: String? = nil, model: String? = nil,
        successEnabled: Bool = true, successDescription: String? = nil, successType: String = "bool", successChoices: [String]? = nil,
        condition: JSONValue? = nil, templateID: String? = nil
    ) {
        self.name = name
        self.prompt = prompt
        self.fields = fields
        self.summaryDescription = summaryDescription
        self.model = model
        self.successEnabled = successEnabled
        self.successDescription = successDescription
        self.successType = successType
        self.successChoices = successChoices
        self.condition = condition
        self.templateID = templateID
    }

    /// A block's definition from a create request: the template's (when named) with the body's
    /// keys over it; name and prompt are required once merged.
    public static func creating(_ body: [String: JSONValue], from template: AnalyticsBlockDefinition?) throws(ContentError)
        -> AnalyticsBlockDefinition
    {
        var definition = template ?? AnalyticsBlockDefinition(name: "", prompt: "", fields: [])
        var body = body
        // The SDK's create always sends `fields` (`[]` when none were given): an empty list keeps
        // the template's fields rather than wiping them.
        if template != nil, body["fields"] == .array([]) { body["fields"] = nil }
        try definition.apply(body)
        guard !definition.name.isEmpty else { throw ContentError("name is required") }
        guard !definition.prompt.isEmpty else { throw ContentError("prompt is required") }
        return definition
    }

    /// Applies the keys a client sent (create or update); keys not sent keep their value. Every
    /// rule is checked again on the result, so an update cannot leave an enum without choices.
    public mutating func apply(_ body: [String: JSONValue]) throws(ContentError) {
        if let value = body["name"] { name = try Self.text(value, "name", 1...200) }
        if let value = body["prompt"] { prompt = try Self.text(value, "prompt", 1...20_000) }
        if let value = body["fields"] {
            guard case .array(let items) = value, items.count <= AnalyticsSpecRules.maximumFields else {
                throw ContentError("fields must be a list of at most \(AnalyticsSpecRules.maximumFields) fields")
            }
            var parsed: [AnalyticsField] = []
            for (index, item) in items.enumerated() {
                let field = try AnalyticsField.parse(item, index: index)
                guard !parsed.contains(where: { $0.name == field.name }) else {
                    throw ContentError("fields[\(index)].name \(field.name) appears twice")
                }
                parsed.append(field)
            }
            fields = parsed
        }
        if let value = body["summary_description"] { summaryDescription = try Self.optionalText(value, "summary_description") }
        if let value = body["model"] { model = try Self.optionalText(value, "model", 1...200) }
        if let value = body["success_enabled"] {
            guard case .bool(let flag) = value else { throw ContentError("success_enabled must be true or false") }
            successEnabled = flag
        }
        if let value = body["success_description"] { successDescription = try Self.optionalText(value, "success_description") }
        if let value = body["success_type"] {
            guard let type = value.stringValue, Self.successTypes.contains(type) else {
                throw ContentError("success_type must be one of \(Self.successTypes.joined(separator: ", "))")
            }
            successType = type
        }
        if let value = body["success_choices"] {
            switch value {
            case .null: successChoices = nil
            case .array(let items) where items.allSatisfy({ $0.stringValue.map { (1...200).contains($0.count) } ?? false }) && items.count <= 100:
                successChoices = items.compactMap(\.stringValue)
            default: throw ContentError("success_choices must be a list of at most 100 strings")
            }
        }
        if let value = body["condition"] {
            switch value {
            case .null: condition = nil
            case .object(let members):
                if let unknown = members.keys.sorted().first(where: { !Self.conditionKeys.contains($0) }) {
                    throw ContentError("condition.\(unknown) is not supported; use \(Self.conditionKeys.sorted().joined(separator: ", "))")
                }
                if let turns = members["min_turns"], (turns.integerValue ?? -1) < 0 {
                    throw ContentError("condition.min_turns must be a whole number of at least 0")
                }
                for key in ["statuses", "directions"] {
                    if let list = members[key], !(list.arrayOfStrings != nil) {
                        throw ContentError("condition.\(key) must be a list of strings")
                    }
                }
                condition = value
            default: throw ContentError("condition must be an object")
            }
        }
        if successType == "enum" {
            guard let choices = successChoices, !choices.isEmpty else {
                throw ContentError("success_type enum needs success_choices, a list of strings")
            }
        } else if successChoices?.isEmpty == false {
            throw ContentError("success_choices is only for success_type enum")
        }
    }

    /// Why a call is outside the block's condition, or nil when the block runs for it.
    public func skipReason(userTurns: Int, status: String, direction: String) -> String? {
        guard let condition else { return nil }
        if let least = condition["min_turns"]?.integerValue, userTurns < least {
            return "the call had \(userTurns) caller turns; the block's condition asks for at least \(least)"
        }
        if let statuses = condition["statuses"]?.arrayOfStrings, !statuses.contains(status) {
            return "the call ended \(status); the block's condition names \(statuses.joined(separator: ", "))"
        }
        if let directions = condition["directions"]?.arrayOfStrings, !directions.contains(direction) {
            return "the call was \(direction); the block's condition names \(directions.joined(separator: ", "))"
        }
        return nil
    }

    private static func text(_ value: JSONValue, _ key: String, _ range: ClosedRange<Int>) throws(ContentError) -> String {
        guard let text = value.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines), range.contains(text.count) else {
            throw ContentError("\(key) must be text of \(range.lowerBound) to \(range.upperBound) characters")
        }
        return text
    }

    private static func optionalText(_ value: JSONValue, _ key: String, _ range: ClosedRange<Int> = 0...5000) throws(ContentError)
        -> String?
    {
        if value == .null { return nil }
        return try text(value, key, range)
    }
}

extension JSONValue {
    /// The strings of an array made only of strings.
    public var arrayOfStrings: [String]? {
        guard case .array(let items) = self else { return nil }
        let strings = items.compactMap(\.stringValue)
        return strings.count == items.count ? strings : nil
    }
}
