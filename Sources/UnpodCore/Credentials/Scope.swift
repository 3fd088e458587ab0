import Foundation

/// What an API key may do (decisions.md section 2): `read` for GETs, `write` for changes,
/// `admin` for managing keys and organization settings. Scopes do not imply each other.
public enum Scope: String, Codable, Sendable, CaseIterable, Comparable {
    case read, write, admin

    public static func < (lhs: Scope, rhs: Scope) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A set of scopes stored as one small bit field, so checking it on the hot path costs nothing.
public struct ScopeSet: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let read = ScopeSet(rawValue: 1 << 0)
    public static let write = ScopeSet(rawValue: 1 << 1)
    public static let admin = ScopeSet(rawValue: 1 << 2)
    public static let all: ScopeSet = [.read, .write, .admin]

    public init(_ scope: Scope) {
        switch scope {
        case .read: self = .read
        case .write: self = .write
        case .admin: self = .admin
        }
    }

    public init(_ scopes: some Sequence<Scope>) {
        self = scopes.reduce(into: []) { $0.insert(ScopeSet($1)) }
    }

    /// Parses `read,write,admin` (any order, spaces allowed); nil when a word is not a scope or the list is empty.
    public init?(commaSeparated text: String) {
        var result: ScopeSet = []
        for word in text.split(separator: ",") {
            guard let scope = Scope(rawValue: word.trimmingCharacters(in: .whitespaces).lowercased()) else {
                return nil
            }
            result.insert(ScopeSet(scope))
        }
        guard !result.isEmpty else { return nil }
        self = result
    }

    public var scopes: [Scope] { Scope.allCases.filter { contains(ScopeSet($0)) } }

    /// The stored and printed form, always in the order read, write, admin.
    public var commaSeparated: String { scopes.map(\.rawValue).joined(separator: ",") }
}
