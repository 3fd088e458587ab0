import Foundation

/// An invoice as BIL-1 lists it: both documented field sets (platform-api.md 2.8), amounts as
/// decimal strings, plus what was billed (`period`, `calls`, `billable_seconds`, `billed_units`).
public struct Invoice: Sendable, Equatable {
    public var id: Int
    /// `INV-00001` upward, per organization.
    public var invoiceNumber: String
    /// Billed units × the plan's rate, before tax: `"12.34"`.
    public var amount: String
    public var taxAmount: String
    public var currency: String
    public var status: String
    public var chargeType: String
    public var invoiceDate: Date
    public var dueDate: Date
    public var paymentAt: Date?
    /// The calendar month, `2026-11`.
    public var period: String
    public var calls: Int
    public var billableSeconds: Int64
    /// Minutes (each call rounded up to the minute) or, on a per-second plan, seconds.
    public var billedUnits: Int64
    public var billingUnit: String

    public init(
        id: Int, invoiceNumber: String, amount: String, taxAmount: String, currency: String, status: String, chargeType: String,
        invoiceDate: Date, dueDate: Date, paymentAt: Date?, period: String, calls: Int, billableSeconds: Int64,
        billedUnits: Int64, billingUnit: String
    ) {
        self.id = id
        self.invoiceNumber = invoiceNumber
        self.amount = amount
        self.taxAmount = taxAmount
        self.currency = currency
        self.status = status
        self.chargeType = chargeType
        self.invoiceDate = invoiceDate
        self.dueDate = dueDate
        self.paymentAt = paymentAt
        self.period = period
        self.calls = calls
        self.billableSeconds = billableSeconds
        self.billedUnits = billedUnits
        self.billingUnit = billingUnit
    }
}

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
