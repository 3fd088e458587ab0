import ArgumentParser
import Foundation
import UnpodPersistence
import UnpodServer

struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Manage users.", subcommands: [Create.self, Deactivate.self, Activate.self, SetPassword.self]
    )

    /// `unpod users create --email E [--password-stdin]`
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user. Without --password-stdin a random password is made and printed once.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var user: UserPasswordOptions

        var email: String { user.email }

        func run() async throws {
            let password = try user.passwordFromStandardInput()
            try await database.withStore { store in
                try await execute(store: store, password: password, output: StandardOutput())
            }
        }

        func execute(store: SQLStore, password: String?, output: some Output) async throws {
            let chosen = password ?? Password.random()
            let created = try await store.createUser(email: email, password: chosen)
            output.line("created user \(created.email) (id \(created.id))")
            if password == nil { output.line("password: \(chosen)") }
        }
    }

    /// `unpod users deactivate --email E`: every key of the user is refused (401 `User inactive or deleted.`).
    struct Deactivate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deactivate a user: their keys are refused on every server within a second.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The user's email address.") var email: String

        func run() async throws {
            try await database.withStore { try await setActive(false, email: email, store: $0, output: StandardOutput()) }
        }
    }

    /// `unpod users activate --email E`
    struct Activate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reactivate a user.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The user's email address.") var email: String

        func run() async throws {
            try await database.withStore { try await setActive(true, email: email, store: $0, output: StandardOutput()) }
        }
    }

    /// `unpod users set-password --email E [--password-stdin]`
    struct SetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-password",
            abstract: "Replace a user's password. Without --password-stdin a random one is made and printed once.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var user: UserPasswordOptions

        func run() async throws {
            let password = try user.passwordFromStandardInput()
            try await database.withStore { store in
                try await execute(store: store, password: password, output: StandardOutput())
            }
        }

        func execute(store: SQLStore, password: String?, output: some Output) async throws {
            guard let found = try await store.user(email: user.email) else {
                throw CommandError("no user with email \(user.email)")
            }
            let chosen = password ?? Password.random()
            try await store.setPassword(found.id, password: chosen)
            output.line("changed the password of \(found.email)")
            if password == nil { output.line("password: \(chosen)") }
        }
    }

    static func setActive(_ active: Bool, email: String, store: SQLStore, output: some Output) async throws {
        guard let user = try await store.user(email: email) else { throw CommandError("no user with email \(email)") }
        try await store.setUserActive(user.id, active)
        output.line("\(active ? "activated" : "deactivated") \(user.email)")
    }
}

/// `--email E [--password-stdin]`: whose password, and where it comes from.
struct UserPasswordOptions: ParsableArguments {
    @Option(help: "The user's email address.") var email: String
    @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false

    /// The password read from standard input with `--password-stdin`; nil to make a random one.
    func passwordFromStandardInput() throws -> String? {
        guard passwordStdin else { return nil }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw ValidationError("--password-stdin: no password on standard input")
        }
        guard line.count >= 8 else { throw ValidationError("a password has at least 8 characters") }
        return line
    }
}
