import ArgumentParser
import Foundation
import UnpodAPI
import UnpodCore
import UnpodPersistence
import UnpodServer

/// `unpod audit list [--org H] [--email E]`: the audit log, newest first.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Read the audit log.", subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List audit events, newest first: all, one organization's, or those about or by one user.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Only this organization's events (its handle).") var org: String?
        @Option(help: "Only events about or by this user.") var email: String?
        @Option(help: "Only this action, e.g. api_key.revoked.") var action: String?
        @Option(help: "How many events (newest first).") var limit = 50
        @Flag(help: "One JSON object per event instead of a table.") var json = false

        func validate() throws {
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit is 1 to 10000") }
        }

        func run() async throws {
            try await database.withStore { try await execute(store: $0, output: StandardOutput()) }
        }

        func execute(store: SQLStore, output: some Output) async throws {
            var filter = AuditFilter(action: action)
            if let org {
                let organization = try await store.requireOrganization(org)
                filter.orgID = organization.id
            }
            if let email {
                guard let user = try await store.user(email: email) else { throw CommandError("no user with email \(email)") }
                filter.userID = user.id
            }
            let page = try await store.auditEvents(filter, page: 1, pageSize: limit)
            if json {
                // Each event as the API answers it (the document's type).
                let encoder = JSONEncoder.unpod()
                for event in page.items {
                    output.line(String(decoding: try encoder.encode(Components.Schemas.AuditEvent(event)), as: UTF8.self))
                }
                return
            }
            output.line("time                  action                      actor                         target")
            for event in page.items {
                let actor = event.actor.type == "cli" ? "cli" : "\(event.actor.email ?? "?") (\(event.actor.keyId ?? "-"))"
                output.line(
                    [Timestamp.format(event.occurredAt).padded(21), event.action.padded(27), actor.padded(29),
                     "\(event.target.type) \(event.target.id)" + (event.orgHandle.map { " in \($0)" } ?? "")]
                        .joined(separator: " "))
            }
            output.line("\(page.items.count) of \(page.count) events")
        }
    }
}
