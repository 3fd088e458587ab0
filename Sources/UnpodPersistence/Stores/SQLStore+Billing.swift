import Foundation
import SQLKit
import UnpodCore

/// An organization's price: per minute of call (each call rounded up to the minute) or per second.
public struct BillingPlan: Sendable, Equatable {
    public var perMinuteMicros: Int64
    public var currency: String
    /// Tax in hundredths of a percent: 1800 is 18 %.
    public var taxBasisPoints: Int
    public var perSecond: Bool

    public init(perMinuteMicros: Int64, currency: String, taxBasisPoints: Int, perSecond: Bool) {
        self.perMinuteMicros = perMinuteMicros
        self.currency = currency
        self.taxBasisPoints = taxBasisPoints
        self.perSecond = perSecond
    }
}

/// A calendar month in UTC, `2026-11`.
public struct BillingPeriod: Sendable, Equatable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]), let month = Int(parts[1]),
            (2000...9999).contains(year), (1...12).contains(month)
        else { return nil }
        self.year = year
        self.month = month
    }

    /// The month `date` falls in.
    public init(containing date: Date) {
        let parts = Self.calendar.dateComponents([.year, .month], from: date)
        year = parts.year!
        month = parts.month!
    }

    public var start: Date { Self.calendar.date(from: DateComponents(year: year, month: month, day: 1))! }
    public var end: Date { Self.calendar.date(byAdding: .month, value: 1, to: start)! }
    public var previous: BillingPeriod { BillingPeriod(containing: start.addingTimeInterval(-1)) }
    public var description: String { String(format: "%04d-%02d", year, month) }

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}

extension SQLStore {
    public func setBillingPlan(orgID: Int, _ plan: BillingPlan, actor: AuditActor) async throws {
        let currency = plan.currency.uppercased()
        guard currency.count == 3, currency.allSatisfy({ $0.isLetter && $0.isASCII }) else {
            throw StoreError.invalidState("a currency is a three-letter ISO 4217 code such as USD")
        }
        guard (0...10_000).contains(plan.taxBasisPoints), plan.perMinuteMicros >= 0 else {
            throw StoreError.invalidState("the tax rate is 0 to 100 % and the price not negative")
        }
        let now = clock.now().millis
        try await database.transaction { db in
            try await db.raw("DELETE FROM billing_plans WHERE org_id = \(bind: orgID)").run()
            try await db.raw(
                """
                INSERT INTO billing_plans (org_id, per_minute_micros, currency, tax_basis_points, per_second, updated_at)
                VALUES (\(bind: orgID), \(bind: plan.perMinuteMicros), \(bind: currency), \(bind: plan.taxBasisPoints),
                        \(bind: plan.perSecond), \(bind: now))
                """
            ).run()
            try await audit(
                db,
                AuditRecord(
                    action: "billing.plan_set", targetType: "organization", targetID: try await Self.handle(db, orgID: orgID),
                    orgID: orgID, orgHandle: try await Self.handle(db, orgID: orgID),
                    details: [
                        "per_minute": Money.format(cents: plan.perMinuteMicros / 10_000), "currency": currency,
                        "tax_basis_points": String(plan.taxBasisPoints), "per_second": String(plan.perSecond),
                    ]),
                by: actor)
        }
    }

    public func billingPlan(orgID: Int) async throws -> BillingPlan? {
        try await database.withConnection { db in
            try await db.raw("SELECT * FROM billing_plans WHERE org_id = \(bind: orgID)").first().map { row in
                BillingPlan(
                    perMinuteMicros: try row.decode(column: "per_minute_micros", as: Int64.self),
                    currency: try row.decode(column: "currency", as: String.self),
                    taxBasisPoints: try row.decode(column: "tax_basis_points", as: Int.self),
                    perSecond: try row.decode(column: "per_second", as: Bool.self))
            }
        }
    }

    /// Closes a month: one invoice for every completed call started before the month's end that
    /// no invoice has billed yet, priced by the organization's plan, numbered next. In one
    /// transaction, with the calls marked as billed, so no call is billed twice.
    public func closeInvoice(orgID: Int, period: BillingPeriod, actor: AuditActor) async throws -> Invoice {
        let now = clock.now()
        guard period.start <= now else { throw StoreError.invalidState("\(period) has not begun") }
        guard let plan = try await billingPlan(orgID: orgID) else {
            throw StoreError.invalidState("the organization has no billing plan (unpod billing plan)")
        }
        do {
            return try await database.transaction { db in
                if try await db.raw(
                    "SELECT id FROM invoices WHERE org_id = \(bind: orgID) AND period = \(bind: period.description)"
                ).first() != nil {
                    throw StoreError.duplicate("\(period) is already invoiced")
                }
                let number = try await db.raw("SELECT COALESCE(MAX(number), 0) + 1 AS next FROM invoices WHERE org_id = \(bind: orgID)")
                    .first()!.decode(column: "next", as: Int.self)
                let due = now.addingTimeInterval(15 * 86_400)
                let id = try await db.raw(
                    """
                    INSERT INTO invoices (org_id, number, period, calls, billable_seconds, billed_units, per_second,
                                          per_minute_micros, amount_cents, tax_cents, currency, status, invoice_date, due_date)
                    VALUES (\(bind: orgID), \(bind: number), \(bind: period.description), 0, 0, 0, \(bind: plan.perSecond),
                            \(bind: plan.perMinuteMicros), 0, 0, \(bind: plan.currency), 'pending', \(bind: now.millis),
                            \(bind: due.millis))
                    RETURNING id
                    """
                ).first()!.decode(column: "id", as: Int.self)
                try await db.raw(
                    """
                    UPDATE call_logs SET invoice_id = \(bind: id)
                    WHERE org_id = \(bind: orgID) AND invoice_id IS NULL AND call_status = 'completed' AND call_duration > 0
                      AND creation_time < \(bind: period.end.millis)
                    """
                ).run()
                // Per minute: each call rounded up to its minute ((s + 59) / 60 in integers).
                let usage = try await db.raw(
                    """
                    SELECT COUNT(*) AS calls, CAST(COALESCE(SUM(call_duration), 0) AS BIGINT) AS seconds,
                           CAST(COALESCE(SUM((call_duration + 59) / 60), 0) AS BIGINT) AS minutes
                    FROM call_logs WHERE invoice_id = \(bind: id)
                    """
                ).first()!
                let calls = try usage.decode(column: "calls", as: Int.self)
                let seconds = try usage.decode(column: "seconds", as: Int64.self)
                let units = plan.perSecond ? seconds : try usage.decode(column: "minutes", as: Int64.self)
                // Cents = units × price (millionths) / (10,000 per cent × 60 when per second), rounded half up.
                let amount = Money.roundedDivision(units * plan.perMinuteMicros, 10_000 * (plan.perSecond ? 60 : 1))
                let tax = Money.roundedDivision(amount * Int64(plan.taxBasisPoints), 10_000)
                try await db.raw(
                    """
                    UPDATE invoices SET calls = \(bind: calls), billable_seconds = \(bind: seconds), billed_units = \(bind: units),
                                        amount_cents = \(bind: amount), tax_cents = \(bind: tax)
                    WHERE id = \(bind: id)
                    """
                ).run()
                let handle = try await Self.handle(db, orgID: orgID)
                let invoice = try await Self.invoice(db, id: id)
                try await audit(
                    db,
                    AuditRecord(
                        action: "billing.invoice_closed", targetType: "invoice", targetID: invoice.invoiceNumber, orgID: orgID,
                        orgHandle: handle,
                        details: ["period": period.description, "amount": invoice.amount, "currency": invoice.currency]),
                    by: actor)
                return invoice
            }
        } catch where isUniqueViolation(error) {
            throw StoreError.duplicate("\(period) is already invoiced")
        }
    }

    /// Closes the month before `now` for every organization with a plan, no invoice for that month
    /// yet and something to bill (no empty invoices: a month without calls is skipped). The billing
    /// service runs this after each month ends. Returns what it closed.
    public func closeEndedMonth(actor: AuditActor = .system) async throws -> [Invoice] {
        let period = BillingPeriod(containing: clock.now()).previous
        let organizations = try await database.withConnection { db in
            try await db.raw(
                """
                SELECT p.org_id FROM billing_plans p
                WHERE NOT EXISTS (SELECT 1 FROM invoices i WHERE i.org_id = p.org_id AND i.period = \(bind: period.description))
                  AND EXISTS (SELECT 1 FROM call_logs c WHERE c.org_id = p.org_id AND c.invoice_id IS NULL
                              AND c.call_status = 'completed' AND c.call_duration > 0
                              AND c.creation_time < \(bind: period.end.millis))
                """
            ).all().map { try $0.decode(column: "org_id", as: Int.self) }
        }
        var closed: [Invoice] = []
        for orgID in organizations {
            do {
                closed.append(try await closeInvoice(orgID: orgID, period: period, actor: actor))
            } catch StoreError.duplicate {
                continue  // another node closed it first
            }
        }
        return closed
    }

    /// BIL-1: the organization's invoices, newest first.
    public func invoices(orgID: Int, page: Int, pageSize: Int) async throws -> Page<Invoice> {
        try await self.page(
            of: "invoices", where: "org_id = \(bind: orgID)", orderBy: "number DESC", page: page, pageSize: pageSize,
            decode: { try Self.invoice(from: $0) })
    }

    private static func invoice(_ db: any SQLDatabase, id: Int) async throws -> Invoice {
        try invoice(from: try await db.raw("SELECT * FROM invoices WHERE id = \(bind: id)").first()!)
    }

    private static func invoice(from row: any SQLRow) throws -> Invoice {
        let perSecond = try row.decode(column: "per_second", as: Bool.self)
        return Invoice(
            id: try row.decode(column: "id", as: Int.self),
            invoiceNumber: String(format: "INV-%05d", try row.decode(column: "number", as: Int.self)),
            amount: Money.format(cents: try row.decode(column: "amount_cents", as: Int64.self)),
            taxAmount: Money.format(cents: try row.decode(column: "tax_cents", as: Int64.self)),
            currency: try row.decode(column: "currency", as: String.self), status: try row.decode(column: "status", as: String.self),
            chargeType: "usage", invoiceDate: Date(millis: try row.decode(column: "invoice_date", as: Int64.self)),
            dueDate: Date(millis: try row.decode(column: "due_date", as: Int64.self)),
            paymentAt: try row.decode(column: "payment_at", as: Int64?.self).map { Date(millis: $0) },
            period: try row.decode(column: "period", as: String.self), calls: try row.decode(column: "calls", as: Int.self),
            billableSeconds: try row.decode(column: "billable_seconds", as: Int64.self),
            billedUnits: try row.decode(column: "billed_units", as: Int64.self), billingUnit: perSecond ? "second" : "minute")
    }
}
