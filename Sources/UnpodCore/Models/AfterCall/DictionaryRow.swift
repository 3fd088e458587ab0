/// One row of a domain dictionary: a term and its variant (vocabulary), its respelling
/// (pronunciation), or a language code and its phrases (fillers).
public struct DictionaryRow: Codable, Sendable, Equatable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
