import ArgumentParser
import Foundation
import UnpodCore
import UnpodPersistence

/// `--database`, shared by every command; falls back to `UNPOD_DATABASE_URL`, then `sqlite:./unpod.sqlite`.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "sqlite:PATH or a postgres:// URL (default: $UNPOD_DATABASE_URL, else sqlite:./unpod.sqlite)")
    var database: String?

    func location(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DatabaseLocation {
        guard let text = database ?? environment["UNPOD_DATABASE_URL"], !text.isEmpty else {
            return .defaultValue
        }
        do {
            return try DatabaseLocation(parsing: text)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// Opens the store, runs `body`, and closes the store whatever happens.
    func withStore<Result>(_ body: (SQLStore) async throws -> Result) async throws -> Result {
        let store = try await SQLStore.open(try location())
        do {
            let result = try await body(store)
            await store.shutdown()
            return result
        } catch {
            await store.shutdown()
            throw error
        }
    }
}

/// Where a command's lines go: standard output in the binary, a list in tests.
protocol Output: Sendable {
    func line(_ text: String)
}

struct StandardOutput: Output {
    func line(_ text: String) {
        print(text)
    }
}

/// A command that parsed fine but cannot be carried out (no such user, say): printed as
/// `Error: …` on standard error, exit status 1, without the usage text.
struct CommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension SQLStore {
    /// The organization a command names with `--org`, or the command's error.
    func requireOrganization(_ handle: String) async throws -> OrganizationSummary {
        guard let organization = try await organization(handle: handle.lowercased()) else {
            throw CommandError("no organization with handle \(handle)")
        }
        return organization
    }
}
