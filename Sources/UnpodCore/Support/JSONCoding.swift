import Foundation

extension JSONEncoder {
    /// The one wire encoder, shared by server and SDK: snake_case keys, UTC timestamps with `Z`.
    public static func unpod() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // Stable key order: diffs, caches and people reading responses see the same bytes every time.
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
        return encoder
    }
}

extension JSONDecoder {
    /// The one wire decoder: snake_case keys, timestamps in any of the accepted input forms.
    public static func unpod() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let parsed = Timestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "not a timestamp: use 2026-02-07T05:57:45Z or 2026-02-07")
            }
            return parsed.date
        }
        return decoder
    }
}
