import Foundation

/// Durations as people type them on the command line and in `expires_in`: `90s`, `15m`, `24h`,
/// `30d`, `2w`, or a bare number of seconds.
public enum DurationText {
    /// The longest duration accepted anywhere: 100 years, far past any key's useful life and far
    /// inside what a timestamp can hold.
    public static let maximumSeconds: TimeInterval = 100 * 365 * 86_400

    /// Seconds, or nil when the text is not a positive duration.
    public static func seconds(_ text: String) -> TimeInterval? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let last = trimmed.last else { return nil }
        let unit: TimeInterval
        var digits = Substring(trimmed)
        switch last {
        case "s": unit = 1
        case "m": unit = 60
        case "h": unit = 3600
        case "d": unit = 86_400
        case "w": unit = 604_800
        default:
            guard last.isNumber else { return nil }
            unit = 1
        }
        if last.isLetter { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let count = Int(digits), count > 0,
            count < Int(Int32.max)
        else { return nil }
        let seconds = TimeInterval(count) * unit
        return seconds <= maximumSeconds ? seconds : nil
    }
}
