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

    /// The wire form: `2026-02-07T05:57:45Z` (whole seconds, rounded down).
    ///
    /// Computed directly from the seconds since 1970 (Howard Hinnant's civil-from-days), because
    /// the ICU formatter behind ISO8601DateFormatter took a tenth of the CPU of a call-log page.
    public static func format(_ date: Date) -> String {
        let seconds = Int64((date.timeIntervalSince1970).rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)

        var bytes = [UInt8]()
        bytes.reserveCapacity(20)
        func append(_ value: Int64, digits: Int) {
            var divisor: Int64 = 1
            for _ in 1..<digits { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }
        append(year, digits: 4)
        bytes.append(UInt8(ascii: "-"))
        append(month, digits: 2)
        bytes.append(UInt8(ascii: "-"))
        append(day, digits: 2)
        bytes.append(UInt8(ascii: "T"))
        append(secondOfDay / 3600, digits: 2)
        bytes.append(UInt8(ascii: ":"))
        append(secondOfDay / 60 % 60, digits: 2)
        bytes.append(UInt8(ascii: ":"))
        append(secondOfDay % 60, digits: 2)
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
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
