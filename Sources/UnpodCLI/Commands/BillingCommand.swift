import ArgumentParser
import Foundation
import UnpodCore
import UnpodPersistence

/// `unpod billing plan|close|invoices` (issue 9, item 6): the price of calls, and monthly invoices.
struct BillingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "billing", abstract: "Price calls and close monthly invoices.", subcommands: [Plan.self, Close.self, Invoices.self])

    /// `unpod billing plan --org H --per-minute 0.020 --currency USD [--tax-rate 18] [--per-second]`
    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set an organization's price per minute of call.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The organization's Org-Handle.") var org: String
        @Option(help: "Price per minute of call, a decimal such as 0.020 (at most 6 places).") var perMinute: String
        @Option(help: "ISO 4217 currency, e.g. USD.") var currency: String
        @Option(help: "Tax in percent, e.g. 18 or 7.5.") var taxRate = "0"
        @Flag(help: "Bill every second instead of rounding each call up to the minute.") var perSecond = false

        func run() async throws {
            try await database.withStore { try await execute(store: $0, output: StandardOutput()) }
        }

        func execute(store: SQLStore, output: some Output) async throws {
            guard let price = Money.micros(perMinute) else { throw CommandError("--per-minute takes a decimal such as 0.020") }
            guard let tax = Money.micros(taxRate), tax % 10_000 == 0, tax <= 100_000_000 else {
                throw CommandError("--tax-rate takes a percentage from 0 to 100 with at most two decimals")
            }
            let organization = try await store.requireOrganization(org)
            try await store.setBillingPlan(
                orgID: organization.id,
                BillingPlan(perMinuteMicros: price, currency: currency, taxBasisPoints: Int(tax / 10_000), perSecond: perSecond),
                actor: .cli)
            output.line("\(organization.domainHandle): \(perMinute) \(currency.uppercased()) per minute\(perSecond ? ", billed per second" : ""), tax \(taxRate) %")
        }
    }

    /// `unpod billing close --org H --period 2026-11`
    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close a month's invoice now (the server closes each month on its own once it has ended).")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The organization's Org-Handle.") var org: String
        @Option(help: "The month, e.g. 2026-11.") var period: String

        func run() async throws {
            try await database.withStore { try await execute(store: $0, output: StandardOutput()) }
        }

        func execute(store: SQLStore, output: some Output) async throws {
            guard let month = BillingPeriod(period) else { throw CommandError("--period takes a month such as 2026-11") }
            let organization = try await store.requireOrganization(org)
            let invoice = try await store.closeInvoice(orgID: organization.id, period: month, actor: .cli)
            output.line(
                "\(invoice.invoiceNumber) \(invoice.period): \(invoice.calls) calls, \(invoice.billedUnits) \(invoice.billingUnit)s, "
                    + "\(invoice.amount) \(invoice.currency) + tax \(invoice.taxAmount)")
        }
    }

    struct Invoices: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List an organization's invoices, newest first.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The organization's Org-Handle.") var org: String

        func run() async throws {
            try await database.withStore { try await execute(store: $0, output: StandardOutput()) }
        }

        func execute(store: SQLStore, output: some Output) async throws {
            let organization = try await store.requireOrganization(org)
            output.line("NUMBER\tPERIOD\tCALLS\tUNITS\tAMOUNT\tTAX\tCURRENCY\tSTATUS")
            for invoice in try await store.invoices(orgID: organization.id, page: 1, pageSize: Int(Int32.max)).items {
                output.line(
                    "\(invoice.invoiceNumber)\t\(invoice.period)\t\(invoice.calls)\t\(invoice.billedUnits)\t\(invoice.amount)\t"
                        + "\(invoice.taxAmount)\t\(invoice.currency)\t\(invoice.status)")
            }
        }
    }
}
