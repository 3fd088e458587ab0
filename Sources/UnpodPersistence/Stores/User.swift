import Foundation
import UnpodCore

/// A person who signs in to the dashboard and owns API keys.
public struct User: Sendable, Equatable {
    public var id: Int
    public var email: String
    public var isActive: Bool
    public var createdAt: Date
}

/// One member of an organization, as its settings page lists them.
public struct Member: Sendable, Equatable {
    public var userID: Int
    public var email: String
    public var role: Role
    public var since: Date
}
