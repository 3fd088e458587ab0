import Foundation
import UnpodCore

/// A pipe's settings as the SDK sends them (`pipes.create/update`, `agent.voice.create`): the
/// typed ones, and the others it keeps as sent and reads back at the top level.
enum PipeSettings {
    static let keptKeys = ["domain", "background_sound", "background_sound_enabled", "background_sound_volume", "noise_cancellation", "first_speaker"]

    /// The body as JSON (the generated request, encoded again: one reading of its keys).
    static func json(_ body: some Encodable) throws -> [String: JSONValue] {
        guard case .object(let fields) = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(body)) else { return [:] }
        return fields
    }

    static func extra(_ fields: [String: JSONValue]) -> [String: JSONValue] {
        fields.filter { keptKeys.contains($0.key) && $0.value != .null }
    }

    /// A handle for an agent made with a pipe: the name's letters and digits, and a random tail.
    static func agentHandle(for name: String) -> String {
        let slug = name.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" }
        let trimmed = String(String(slug).split(separator: "-").joined(separator: "-").prefix(40))
        var generator = SystemRandomNumberGenerator()
        let tail = Base62.random(count: 8, using: &generator).lowercased()
        return (trimmed.isEmpty ? "agent" : trimmed) + "-" + tail
    }
}
