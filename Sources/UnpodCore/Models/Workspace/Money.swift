import Foundation

/// Money without floating point: prices in millionths, amounts in cents.
public enum Money {
    /// `"0.020"` → 20000 (millionths); nil for anything but a non-negative decimal with at most 6 places.
    public static func micros(_ text: String) -> Int64? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int64(parts[0]), whole >= 0, whole < 1_000_000_000,
            parts[0].allSatisfy(\.isNumber)
        else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard (1...6).contains(digits.count), digits.allSatisfy(\.isNumber), let value = Int64(digits) else { return nil }
            fraction = value * Int64(pow(10, Double(6 - digits.count)))
        }
        return whole * 1_000_000 + fraction
    }

    /// `1357` cents → `"13.57"`.
    public static func format(cents: Int64) -> String {
        let sign = cents < 0 ? "-" : ""
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// `numerator / denominator` rounded half up, for non-negative values.
    public static func roundedDivision(_ numerator: Int64, _ denominator: Int64) -> Int64 {
        (numerator + denominator / 2) / denominator
    }
}
