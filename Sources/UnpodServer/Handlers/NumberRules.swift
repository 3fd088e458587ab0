import HummingbirdCore
import UnpodAPI
import UnpodCore
import UnpodPersistence

/// NUM-1…3's rules, shared with the dashboard's Numbers page.
enum NumberRules {
    /// NUM-1's `include_assigned` filter.
    static func includeAssigned(_ query: FlatDictionary<Substring, Substring>) throws -> Bool {
        guard let text = query["include_assigned"] else { return true }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw APIError.invalidParameters("include_assigned must be true or false")
        }
    }

    static func checkCount(_ numbers: [String]) throws {
        guard (1...100).contains(numbers.count) else { throw APIError.invalidParameters("numbers must name 1 to 100 numbers") }
    }

    /// The answer when at least one number moved; 400 naming each refusal when none did.
    static func answer(_ results: [NumberResult], agentID: String?, success: String, none: String) throws
        -> Components.Schemas.AgentNumbersResult
    {
        guard results.contains(where: \.ok) else {
            throw APIError(
                statusCode: 400, message: none, code: "invalid_parameters",
                errors: results.map { "\($0.number ?? "?"): \($0.error ?? "refused")" }.joined(separator: "; "))
        }
        return .init(agentId: .init(agentID), numbers: results.map(Components.Schemas.NumberResult.init), message: success)
    }
}
