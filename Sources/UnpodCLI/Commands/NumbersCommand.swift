import ArgumentParser
import Foundation
import UnpodAPI
import UnpodCore
import UnpodPersistence
import UnpodServer

/// `unpod numbers add|list|release`: the operator provisions an organization's phone numbers.
struct NumbersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "numbers", abstract: "Provision an organization's phone numbers.",
        subcommands: [Add.self, List.self, Release.self])

    /// `unpod numbers add --org H --provider SLUG +E164...`
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add numbers to an organization: all of them, or none if one is malformed or taken.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The organization's handle.") var org: String
        @Option(help: "The provider's slug (unpod numbers add … --provider twilio).") var provider: String
        @Flag(help: "Print JSON instead of a table.") var json = false
        @Argument(help: "Numbers in E.164, e.g. +14155551234.") var numbers: [String]

        func validate() throws {
            guard !numbers.isEmpty else { throw ValidationError("name at least one number") }
            for number in numbers where !PhoneNumber.isE164(number) {
                throw ValidationError("\(number) is not an E.164 number such as +14155551234")
            }
        }

        func run() async throws {
            try await database.withStore { try await execute(store: $0, output: StandardOutput()) }
        }

        func execute(store: SQLStore, output: some Output) async throws {
            let organization = try await store.requireOrganization(org)
            guard let provider = try await store.provider(.slug(provider)) else {
                throw CommandError("no provider \(provider); the catalog has \(try await store.providers().map(\.slug).joined(separator: ", "))")
            }
            do {
                let added = try await store.addNumbers(numbers, orgID: organization.id, provider: provider)
                try NumbersCommand.print(added, json: json, output: output)
            } catch let error as StoreError {
                throw CommandError("\(error); nothing was added")
            }
        }
    }

    /// `unpod numbers list --org H`
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List an organization's numbers.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The organization's handle.") var org: String
        @Flag(help: "Print JSON instead of a table.") var json = false

        func run() async throws {
            try await database.withStore { try await execute(store: $0, output: StandardOutput()) }
        }

        func execute(store: SQLStore, output: some Output) async throws {
            let organization = try await store.requireOrganization(org)
            var all: [PhoneNumber] = []
            var page = 1
            while true {
                let batch = try await store.numbers(orgID: organization.id, page: page, pageSize: 100)
                all += batch.items
                guard batch.items.count == 100 else { break }
                page += 1
            }
            try NumbersCommand.print(all, json: json, output: output)
        }
    }

    /// `unpod numbers release --org H +E164...`
    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Release numbers from an organization: all of them, or none if one is not its.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The organization's handle.") var org: String
        @Argument(help: "Numbers in E.164.") var numbers: [String]

        func run() async throws {
            try await database.withStore { try await execute(store: $0, output: StandardOutput()) }
        }

        func execute(store: SQLStore, output: some Output) async throws {
            let organization = try await store.requireOrganization(org)
            do {
                try await store.releaseNumbers(numbers, orgID: organization.id)
            } catch let error as StoreError {
                throw CommandError("\(error); nothing was released")
            }
            output.line("released \(numbers.joined(separator: " ")) from \(organization.domainHandle)")
        }
    }

    static func print(_ numbers: [PhoneNumber], json: Bool, output: some Output) throws {
        if json {
            // The numbers as the API answers them (the document's type).
            let answers = try numbers.map(Components.Schemas.Number.init)
            output.line(String(decoding: try JSONEncoder.unpod().encode(answers), as: UTF8.self))
            return
        }
        output.line("id      number            provider    state          bridge")
        for number in numbers {
            output.line(
                [String(number.id).padded(7), number.number.padded(17), number.provider.padded(11), number.state.padded(14),
                 number.bridgeSlug ?? "-"].joined(separator: " "))
        }
    }
}

extension String {
    func padded(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
