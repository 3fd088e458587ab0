import Foundation

/// A person who signs in to the dashboard and owns API keys.
public struct User: Sendable, Equatable {
    public var id: Int
    public var email: String
    public var isActive: Bool
    public var createdAt: Date
}
