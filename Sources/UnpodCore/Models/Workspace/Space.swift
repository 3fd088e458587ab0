import Foundation

/// A space (platform-api.md 2.2): a container for tasks and runs, addressed by its public `token`.
/// Every field of both documented shapes (G-13).
public struct Space: Sendable, Equatable {
    public struct Organization: Sendable, Equatable {
        public var name: String
        public var domainHandle: String

        public init(name: String, domainHandle: String) {
            self.name = name
            self.domainHandle = domainHandle
        }
    }

    /// `sp_` and the row id, e.g. `sp_12`.
    public var id: String
    public var name: String
    public var slug: String
    public var token: String
    public var description: String
    public var logo: String?
    public var privacyType: String
    public var spaceType: String
    public var contentType: String
    public var organization: Organization
    public var agentHandle: String?
    public var createdAt: Date

    public init(
        id: String, name: String, slug: String, token: String, description: String, logo: String?, privacyType: String,
        spaceType: String, contentType: String, organization: Organization, agentHandle: String?, createdAt: Date
    ) {
        self.id = id
        self.name = name
        self.slug = slug
        self.token = token
        self.description = description
        self.logo = logo
        self.privacyType = privacyType
        self.spaceType = spaceType
        self.contentType = contentType
        self.organization = organization
        self.agentHandle = agentHandle
        self.createdAt = createdAt
    }
}
