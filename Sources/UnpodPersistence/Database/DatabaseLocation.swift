import Foundation

/// Where the data lives, as given by `--database` or `UNPOD_DATABASE_URL`:
/// `sqlite:PATH` (the embedded default, `sqlite:./unpod.sqlite`) or a `postgres://` URL.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    public static let defaultValue = DatabaseLocation.sqlite(path: "./unpod.sqlite")

    public init(parsing text: String) throws(DatabaseError) {
        if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else { throw .badLocation("sqlite: needs a file path, e.g. sqlite:./unpod.sqlite") }
            self = .sqlite(path: path)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(url: text)
        } else {
            throw .badLocation("use sqlite:PATH or a postgres:// URL, not \(text.prefix(40))")
        }
    }

    /// The location without a password, safe to print and log.
    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite:\(path)"
        case .postgres(let url):
            guard var components = URLComponents(string: url) else { return "postgres://…" }
            if components.password != nil { components.password = "***" }
            return components.string ?? "postgres://…"
        }
    }
}

/// Failures of the storage layer that the caller can explain to a person.
public enum DatabaseError: Error, Equatable, CustomStringConvertible {
    case badLocation(String)
    case missingSecrets(String)
    case migrationFailed(String)

    public var description: String {
        switch self {
        case .badLocation(let text), .missingSecrets(let text), .migrationFailed(let text): text
        }
    }
}
