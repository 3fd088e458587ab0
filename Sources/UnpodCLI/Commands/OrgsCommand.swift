import ArgumentParser
import UnpodCore
import UnpodPersistence

struct OrgsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orgs", abstract: "Manage organizations.", subcommands: [Create.self, AddMember.self])

    /// `unpod orgs create --handle H --name N --owner E`
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an organization with an owner.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The Org-Handle, e.g. acme or acme.co.") var handle: String
        @Option(help: "Display name.") var name: String
        @Option(help: "Email of the user who owns it.") var owner: String

        func run() async throws {
            try await database.withStore { try await execute(store: $0, output: StandardOutput()) }
        }

        func execute(store: SQLStore, output: some Output) async throws {
            guard let user = try await store.user(email: owner) else {
                throw CommandError("no user with email \(owner)")
            }
            let organization = try await store.createOrganization(name: name, handle: handle, ownerID: user.id)
            output.line("created organization \(organization.domainHandle) (id \(organization.id)), owner \(user.email)")
        }
    }

    /// `unpod orgs add-member --handle H --email E [--role member]`: adds a user or changes their role.
    struct AddMember: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-member", abstract: "Add a user to an organization, or change their role.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The organization's Org-Handle.") var handle: String
        @Option(help: "The user's email address.") var email: String
        @Option(help: "member, admin or owner.") var role: Role = .member

        func run() async throws {
            try await database.withStore { try await execute(store: $0, output: StandardOutput()) }
        }

        func execute(store: SQLStore, output: some Output) async throws {
            let organization = try await store.requireOrganization(handle)
            guard let user = try await store.user(email: email) else { throw CommandError("no user with email \(email)") }
            try await store.setMembership(userID: user.id, orgID: organization.id, role: role)
            output.line("\(user.email) is \(role.rawValue) of \(organization.domainHandle)")
        }
    }
}

extension Role: ExpressibleByArgument {}
