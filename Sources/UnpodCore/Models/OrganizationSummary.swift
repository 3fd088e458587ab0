import Foundation

/// An organization as `GET /organizations/` lists it (platform-api.md 2.1).
public struct OrganizationSummary: Sendable, Equatable {
    public var id: Int
    public var name: String
    /// The value to send as `Org-Handle`.
    public var domainHandle: String
    public var createdAt: Date

    public init(id: Int, name: String, domainHandle: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.domainHandle = domainHandle
        self.createdAt = createdAt
    }
}
