import Foundation
import OpenAPIRuntime
import UnpodCore

/// Timestamps as the platform writes and reads them (``Timestamp``): out as `2026-02-07T05:57:45Z`,
/// in with or without fractional seconds, an offset, a space for the `T`, or as a date alone.
/// OpenAPIRuntime's default transcoder takes a lock around an ICU formatter on every value.
public struct WireDateTranscoder: DateTranscoder {
    public init() {}

    public func encode(_ date: Date) throws -> String {
        Timestamp.format(date)
    }

    public func decode(_ text: String) throws -> Date {
        guard let parsed = Timestamp.parse(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: [], debugDescription: "not a timestamp: use 2026-02-07T05:57:45Z or 2026-02-07"))
        }
        return parsed.date
    }
}

extension Configuration {
    /// The coders' settings for server and client: sorted keys without pretty printing (the bytes
    /// the platform has always sent), and the platform's timestamps.
    public static let unpod = Configuration(dateTranscoder: WireDateTranscoder(), jsonEncodingOptions: [.sortedKeys])
}
