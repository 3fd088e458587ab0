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
