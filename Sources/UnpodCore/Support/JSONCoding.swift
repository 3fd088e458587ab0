import Foundation

// Wire types spell their snake_case keys in `CodingKeys` rather than through a key strategy: the
// strategy converts every key of every object on every encode, which measured 11% of the server's
// CPU on `GET /call-logs/` (perf, 20 rows a page).

extension JSONEncoder {
    /// The one wire encoder, shared by server and SDK: UTC timestamps with `Z`, stable key order.
    public static func unpod() -> JSONEncoder {
        let encoder = JSONEncoder()
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
    /// The one wire decoder: timestamps in any of the accepted input forms.
    public static func unpod() -> JSONDecoder {
        let decoder = JSONDecoder()
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
