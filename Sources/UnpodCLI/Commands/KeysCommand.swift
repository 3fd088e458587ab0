import ArgumentParser
import Foundation
import UnpodCore
import UnpodPersistence

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Manage API keys.", subcommands: [Create.self, List.self, Revoke.self, Rotate.self])

    /// `unpod keys create --email E [--org H] [--name N] [--scopes read,write,admin] [--expires-in 30d]`
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an API key. The token is printed alone on the last line, once.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Email of the user the key acts as.") var email: String
        @Option(help: "Restrict the key to this organization (Org-Handle).") var org: String?
        @Option(help: "A name to recognise the key by.") var name = "API key"
        @Option(help: "Comma-separated scopes: read, write, admin.") var scopes = "read,write,admin"
        @Option(help: "Lifetime such as 90d, 24h or 3600 (seconds). Default: no expiry.") var expiresIn: String?
        @Flag(help: "Print {\"key_id\", \"token\"} as JSON: the LiveKit API key and secret for access tokens.")
        var json = false

        func validate() throws {
            guard ScopeSet(commaSeparated: scopes) != nil else {
                throw ValidationError("--scopes takes a comma-separated list of read, write, admin")
            }
            if let expiresIn, DurationText.seconds(expiresIn) == nil {
                throw ValidationError("--expires-in takes a duration such as 90d, 24h, 15m or 3600")
            }
        }

        func run() async throws {
            try await database.withStore { try await execute(store: $0, output: StandardOutput()) }
        }

        func execute(store: SQLStore, output: some Output) async throws {
            guard let user = try await store.user(email: email) else { throw CommandError("no user with email \(email)") }
            var organization: OrganizationSummary?
            if let org {
                let memberships = try await store.memberships(userID: user.id)
                guard let membership = memberships.first(where: { $0.organization.domainHandle == org.lowercased() })
                else { throw CommandError("\(email) is not a member of an organization with handle \(org)") }
                organization = membership.organization
            }
            let expiresAt = expiresIn.flatMap(DurationText.seconds).map { store.clock.now().addingTimeInterval($0) }
            let created = try await store.createAPIKey(
                userID: user.id, name: name, scopes: ScopeSet(commaSeparated: scopes) ?? .all,
                organization: organization, expiresAt: expiresAt)
            if json {
                let pair = ["key_id": created.keyId, "token": created.token]
                output.line(String(decoding: try JSONEncoder.unpod().encode(pair), as: UTF8.self))
                return
            }
            output.line("created key \(created.keyId) for \(user.email)")
            output.line("scopes: \(created.scopes.map(\.rawValue).joined(separator: ","))")
            output.line("organization: \(created.orgHandle ?? "all of the user's")")
            output.line("expires: \(created.expiresAt.map(Timestamp.format) ?? "never")")
            output.line("The token is shown this once; store it now:")
            output.line(created.token)
        }
    }

    /// `unpod keys list --email E`
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a user's keys (never their secrets).")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Email of the user.") var email: String

        func run() async throws {
            try await database.withStore { try await execute(store: $0, output: StandardOutput()) }
        }

        func execute(store: SQLStore, output: some Output) async throws {
            guard let user = try await store.user(email: email) else { throw CommandError("no user with email \(email)") }
            let keys = try await store.apiKeys(of: .user(user.id))
            output.line(["KEY_ID", "NAME", "SCOPES", "ORG", "STATUS", "EXPIRES", "LAST_USED"].joined(separator: "\t"))
            for key in keys {
                output.line(
                    [
                        key.keyId, key.name, key.scopes.map(\.rawValue).joined(separator: ","), key.orgHandle ?? "*",
                        key.status.rawValue, key.expiresAt.map(Timestamp.format) ?? "never",
                        key.lastUsedAt.map(Timestamp.format) ?? "never",
                    ].joined(separator: "\t"))
            }
        }
    }

    /// `unpod keys revoke KEY_ID`
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key; every server refuses it within a second.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The key's public id.") var keyID: String

        func run() async throws {
            try await database.withStore { try await execute(store: $0, output: StandardOutput()) }
        }

        func execute(store: SQLStore, output: some Output) async throws {
            try await store.revokeAPIKey(keyID, of: .anyone)
            output.line("revoked key \(keyID)")
        }
    }

    /// `unpod keys rotate KEY_ID [--grace 24h]`
    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace a key; the old one keeps working for the grace period. The new token is the last line.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The key's public id.") var keyID: String
        @Option(help: "How long the old key keeps working, e.g. 24h, 1h, 7d.") var grace = "24h"

        func validate() throws {
            guard DurationText.seconds(grace) != nil else {
                throw ValidationError("--grace takes a duration such as 24h, 1h or 7d")
            }
        }

        func run() async throws {
            try await database.withStore { try await execute(store: $0, output: StandardOutput()) }
        }

        func execute(store: SQLStore, output: some Output) async throws {
            let created = try await store.rotateAPIKey(
                keyID, of: .anyone, grace: DurationText.seconds(grace) ?? 86_400, expiresIn: nil)
            output.line("rotated key \(keyID) into \(created.keyId)")
            output.line("the old key works until \(created.previousKeyGraceUntil.map(Timestamp.format) ?? "now")")
            output.line("The new token is shown this once; store it now:")
            output.line(created.token)
        }
    }
}
