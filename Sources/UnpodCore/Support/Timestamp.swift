import Foundation

/// Timestamps in and out (platform-api.md 1.10, G-17): out as UTC with `Z`; in as
/// `2026-02-07T05:57:45Z` (with or without fractional seconds or an offset), `2026-02-07T05:57:45`
/// (read as UTC), `2026-01-31 11:47:38.067021`, or a date alone.
public enum Timestamp {
    /// A parsed input; `isDateOnly` lets a filter treat an end date as inclusive through that day.
    public struct Parsed: Sendable, Equatable {
        public let date: Date
        public let isDateOnly: Bool
    }

    public static func parse(_ text: String) -> Parsed? {
        let value = text.trimmingCharacters(in: .whitespaces)
        if value.count == 10, let date = dateOnly(value) { return Parsed(date: date, isDateOnly: true) }
        var normalized = value.replacingOccurrences(of: " ", with: "T")
        if normalized.count >= 19, !hasZone(normalized) { normalized += "Z" }
        for formatter in [withFraction, withoutFraction] {
            if let date = formatter.date(from: normalized) { return Parsed(date: date, isDateOnly: false) }
        }
        return nil
    }

    /// The wire form: `2026-02-07T05:57:45Z`.
    public static func format(_ date: Date) -> String {
        withoutFraction.string(from: date)
    }

    private static func hasZone(_ value: String) -> Bool {
        guard let timeStart = value.firstIndex(of: "T") else { return false }
        let time = value[timeStart...]
        return time.hasSuffix("Z") || time.contains("+") || time.contains("-")
    }

    private static func dateOnly(_ value: String) -> Date? {
        let parts = value.split(separator: "-")
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            parts[0].count == 4, parts[1].count == 2, parts[2].count == 2
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = calendar.date(from: components),
            calendar.dateComponents([.year, .month, .day], from: date) == components
        else { return nil }
        return date
    }

    // ISO8601DateFormatter is documented as thread-safe.
    nonisolated(unsafe) private static let withFraction: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()

    nonisolated(unsafe) private static let withoutFraction: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter
    }()
}
