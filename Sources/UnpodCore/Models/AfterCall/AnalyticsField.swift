/// One value an analytics block extracts from a call (`sdk-surface.md`, "Analytics fields"):
/// a name, a type, a description for the model, and the choices of an `enum`.
public struct AnalyticsField: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case string = "str"
        case integer = "int"
        case number = "float"
        case boolean = "bool"
        case strings = "list[str]"
        case choice = "enum"
    }

    public var name: String
    public var type: Kind
    public var description: String
    public var choices: [String]?

    public init(name: String, type: Kind, description: String = "", choices: [String]? = nil) {
        self.name = name
        self.type = type
        self.description = description
        self.choices = choices
    }

    /// Reads one field as a client sent it. `choices` only, and always, for `enum`; names are
    /// identifiers, unique within the block and not `summary` or `success_evaluation` (those two
    /// are every block's own).
    public static func parse(_ value: JSONValue, index: Int) throws(ContentError) -> AnalyticsField {
        guard case .object(let members) = value else { throw ContentError("fields[\(index)] must be an object") }
        guard let name = members["name"]?.stringValue, AnalyticsSpecRules.isFieldName(name) else {
            throw ContentError("fields[\(index)].name must be 1 to 64 letters, digits or underscores, starting with a letter")
        }
        guard !AnalyticsSpecRules.reservedNames.contains(name) else {
            throw ContentError("fields[\(index)].name \(name) is every block's own; choose another name")
        }
        let typeText = members["type"]?.stringValue ?? "str"
        guard let type = Kind(rawValue: typeText) else {
            let allowed = Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw ContentError("fields[\(index)].type must be one of \(allowed)")
        }
        var description = ""
        if let text = members["description"], text != .null {
            guard let string = text.stringValue, string.count <= 2000 else {
                throw ContentError("fields[\(index)].description must be text of at most 2,000 characters")
            }
            description = string
        }
        let choicesValue = members["choices"].flatMap { $0 == .null ? nil : $0 }
        var choices: [String]?
        if type == .choice {
            guard case .array(let items)? = choicesValue else {
                throw ContentError("fields[\(index)] (\(name)) is an enum and needs choices, a list of strings")
            }
            let strings = items.compactMap(\.stringValue)
            guard strings.count == items.count, !strings.isEmpty, strings.count <= 100, Set(strings).count == strings.count,
                strings.allSatisfy({ (1...200).contains($0.count) })
            else {
                throw ContentError("fields[\(index)].choices must be 1 to 100 different strings of 1 to 200 characters")
            }
            choices = strings
        } else if choicesValue != nil {
            throw ContentError("fields[\(index)] (\(name)) has choices, which only an enum field may have")
        }
        return AnalyticsField(name: name, type: type, description: description, choices: choices)
    }

    /// The field as the API shows it (`choices` only on an enum).
    public var json: JSONValue {
        var members: [String: JSONValue] = ["name": .string(name), "type": .string(type.rawValue), "description": .string(description)]
        if let choices { members["choices"] = .array(choices.map(JSONValue.string)) }
        return .object(members)
    }
}
