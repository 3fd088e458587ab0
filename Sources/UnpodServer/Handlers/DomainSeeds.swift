import UnpodCore

/// The bundled domain dictionaries every organization inherits (read-only): a tenant's own rows
/// go over them per key, and deleting a seeded domain only resets it to its seed.
enum DomainSeeds {
    static let all: [String: DictionaryRows] = [
        "banking": DictionaryRows(
            vocabulary: [
                DictionaryRow(key: "IBAN", value: "eye ban"), DictionaryRow(key: "KYC", value: "kay why see"),
                DictionaryRow(key: "overdraft", value: ""), DictionaryRow(key: "SWIFT code", value: "swift code"),
            ],
            pronunciation: [DictionaryRow(key: "IBAN", value: "EYE-ban"), DictionaryRow(key: "KYC", value: "K Y C")],
            fillers: [DictionaryRow(key: "en", value: "Let me check that for you.\nOne moment, please.")]),
        "real_estate": DictionaryRow.seedRows(
            vocabulary: ["HOA", "escrow", "listing agent", "square footage"], pronunciation: [("HOA", "H O A")],
            filler: "Let me pull up that listing."),
        "hospital": DictionaryRow.seedRows(
            vocabulary: ["OPD", "triage", "discharge summary", "MRI"], pronunciation: [("OPD", "O P D"), ("MRI", "M R I")],
            filler: "Let me look at the schedule."),
    ]

    /// The filler settings a domain has unless its tenant layer sets them.
    static let defaultSettings: [String: JSONValue] = ["enabled": .bool(true), "selection": .string("random"), "deferred_ms": .integer(700)]
}

extension DictionaryRow {
    fileprivate static func seedRows(vocabulary: [String], pronunciation: [(String, String)], filler: String) -> DictionaryRows {
        DictionaryRows(
            vocabulary: vocabulary.map { DictionaryRow(key: $0, value: "") },
            pronunciation: pronunciation.map { DictionaryRow(key: $0.0, value: $0.1) }, fillers: [DictionaryRow(key: "en", value: filler)])
    }
}
