/// A domain dictionary's three sections.
public struct DictionaryRows: Codable, Sendable, Equatable {
    public var vocabulary: [DictionaryRow]
    public var pronunciation: [DictionaryRow]
    public var fillers: [DictionaryRow]

    public init(vocabulary: [DictionaryRow] = [], pronunciation: [DictionaryRow] = [], fillers: [DictionaryRow] = []) {
        self.vocabulary = vocabulary
        self.pronunciation = pronunciation
        self.fillers = fillers
    }

    public var isEmpty: Bool { vocabulary.isEmpty && pronunciation.isEmpty && fillers.isEmpty }

    /// These rows under `tenant`'s: per section, a key the tenant has takes the tenant's value;
    /// the tenant's other keys follow.
    public func overlaid(by tenant: DictionaryRows) -> DictionaryRows {
        func merge(_ seed: [DictionaryRow], _ own: [DictionaryRow]) -> [DictionaryRow] {
            let mine = Dictionary(own.map { ($0.key.lowercased(), $0) }, uniquingKeysWith: { _, last in last })
            let seedKeys = Set(seed.map { $0.key.lowercased() })
            return seed.map { mine[$0.key.lowercased()] ?? $0 } + own.filter { !seedKeys.contains($0.key.lowercased()) }
        }
        return DictionaryRows(
            vocabulary: merge(vocabulary, tenant.vocabulary), pronunciation: merge(pronunciation, tenant.pronunciation),
            fillers: merge(fillers, tenant.fillers))
    }
}
