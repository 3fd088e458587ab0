import ArgumentParser
import Foundation
import UnpodCore
import UnpodPersistence
import UnpodServer

/// `unpod webhooks …`: an organization's webhook endpoints from the command line (issue 18), the
/// same rules and audit entries as the API: the secret is printed once, on the last line of
/// `create` and `rotate`, so a script can take it with `tail -n 1`.
struct WebhooksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks", abstract: "Manage an organization's signed webhook endpoints.",
        subcommands: [Create.self, List.self, Rotate.self, Delete.self, Attempts.self, Resend.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an endpoint; prints its id, then its secret (shown this once).")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The organization's handle.") var org: String
        @Option(help: "The endpoint's http(s) URL.") var url: String
        @Option(name: .customLong("event"), help: "An event it receives (repeatable; none: every event).") var events: [String] = []
        @Option(help: "What the endpoint is for.") var description = ""
        @Flag(help: "Allow a private, loopback or link-local destination (as the server's --webhooks-allow-private).") var allowPrivate = false

        func validate() throws {
            for event in events where WebhookEventType(rawValue: event) == nil {
                throw ValidationError("--event \(event): one of \(WebhookEventType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() async throws {
            try await database.withStore { try await execute(store: $0, output: StandardOutput()) }
        }

        func execute(store: SQLStore, output: some Output) async throws {
            let organization = try await store.requireOrganization(org)
            do {
                try await WebhookEndpointRules(allowPrivate: allowPrivate).checkURL(url)
            } catch {
                throw CommandError(error.description)
            }
            let (endpoint, secret) = try await store.createWebhookEndpoint(
                orgID: organization.id, url: url, description: description, events: events.compactMap(WebhookEventType.init(rawValue:)),
                actor: .cli)
            output.line("webhook endpoint \(endpoint.endpointID) → \(endpoint.url); its secret, shown once:")
            output.line(secret.text)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the organization's endpoints (never their secrets).")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The organization's handle.") var org: String

        func run() async throws {
            try await database.withStore { try await execute(store: $0, output: StandardOutput()) }
        }

        func execute(store: SQLStore, output: some Output) async throws {
            let organization = try await store.requireOrganization(org)
            for endpoint in try await store.webhookEndpoints(orgID: organization.id) {
                let events = endpoint.events.isEmpty ? "every event" : endpoint.events.map(\.rawValue).joined(separator: ",")
                let state = endpoint.disabledAt == nil ? "enabled" : "disabled (\(endpoint.disabledReason ?? ""))"
                output.line("\(endpoint.endpointID)  \(endpoint.url)  \(events)  \(state)")
            }
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give an endpoint a new secret (printed once); the previous one also signs for 24 hours.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The organization's handle.") var org: String
        @Argument(help: "The endpoint's id (ep_…).") var endpoint: String

        func run() async throws {
            try await database.withStore { try await execute(store: $0, output: StandardOutput()) }
        }

        func execute(store: SQLStore, output: some Output) async throws {
            let organization = try await store.requireOrganization(org)
            let (_, secret) = try await storeCall { try await store.rotateWebhookSecret(orgID: organization.id, endpointID: endpoint, actor: .cli) }
            output.line("new secret of \(endpoint), shown once (the previous one signs for another 24 hours):")
            output.line(secret.text)
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an endpoint with its deliveries and attempts.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The organization's handle.") var org: String
        @Argument(help: "The endpoint's id (ep_…).") var endpoint: String

        func run() async throws {
            try await database.withStore { try await execute(store: $0, output: StandardOutput()) }
        }

        func execute(store: SQLStore, output: some Output) async throws {
            let organization = try await store.requireOrganization(org)
            try await storeCall { try await store.deleteWebhookEndpoint(orgID: organization.id, endpointID: endpoint, actor: .cli) }
            output.line("deleted \(endpoint)")
        }
    }

    struct Attempts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "An endpoint's delivery attempts, newest first.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The organization's handle.") var org: String
        @Option(help: "Only this message's attempts (msg_…).") var message: String?
        @Option(help: "How many (newest first).") var limit = 50
        @Argument(help: "The endpoint's id (ep_…).") var endpoint: String

        func run() async throws {
            try await database.withStore { try await execute(store: $0, output: StandardOutput()) }
        }

        func execute(store: SQLStore, output: some Output) async throws {
            let organization = try await store.requireOrganization(org)
            guard
                let attempts = try await store.webhookAttempts(orgID: organization.id, endpointID: endpoint, messageID: message, limit: limit)
            else { throw CommandError("no webhook endpoint \(endpoint) in \(org)") }
            for attempt in attempts {
                let status = attempt.statusCode.map(String.init) ?? "-"
                output.line(
                    "\(Timestamp.format(attempt.attemptedAt))  \(attempt.messageID)  \(attempt.eventType)  try \(attempt.attempt)  \(status)  "
                        + "\(attempt.latencyMS) ms  \(attempt.error ?? "ok")")
            }
        }
    }

    struct Resend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send one message to an endpoint again, now.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The organization's handle.") var org: String
        @Argument(help: "The endpoint's id (ep_…).") var endpoint: String
        @Argument(help: "The message's id (msg_…, the webhook-id header).") var message: String

        func run() async throws {
            try await database.withStore { try await execute(store: $0, output: StandardOutput()) }
        }

        func execute(store: SQLStore, output: some Output) async throws {
            let organization = try await store.requireOrganization(org)
            try await storeCall { try await store.resendWebhook(orgID: organization.id, endpointID: endpoint, messageID: message, actor: .cli) }
            output.line("queued \(message) for \(endpoint)")
        }
    }
}

/// A store's "not found" as the command's error.
private func storeCall<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch StoreError.notFound(let message) {
        throw CommandError(message)
    }
}
