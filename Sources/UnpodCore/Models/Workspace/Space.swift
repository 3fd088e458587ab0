import Foundation

/// A space (platform-api.md 2.2): a container for tasks and runs, addressed by its public `token`.
/// Every field of both documented shapes (G-13).
public struct Space: Codable, Sendable, Equatable {
    public struct Organization: Codable, Sendable, Equatable {
        public var name: String
        public var domainHandle: String

        enum CodingKeys: String, CodingKey {
            case name
            case domainHandle = "domain_handle"
        }

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

    enum CodingKeys: String, CodingKey {
        case id, name, slug, token, description, logo, organization
        case privacyType = "privacy_type"
        case spaceType = "space_type"
        case contentType = "content_type"
        case agentHandle = "agent_handle"
        case createdAt = "created_at"
    }

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

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(slug, forKey: .slug)
        try container.encode(token, forKey: .token)
        try container.encode(description, forKey: .description)
        try container.encode(logo, forKey: .logo)
        try container.encode(privacyType, forKey: .privacyType)
        try container.encode(spaceType, forKey: .spaceType)
        try container.encode(contentType, forKey: .contentType)
        try container.encode(organization, forKey: .organization)
        try container.encode(agentHandle, forKey: .agentHandle)
        try container.encode(createdAt, forKey: .createdAt)
    }
}

/// A voice agent (platform-api.md 2.3): `handle` is what tasks name as `pilot` and `assignee`.
public struct Agent: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable, CaseIterable { case draft, published, archived }

    public var handle: String
    public var name: String
    public var type: String
    public var state: State
    public var purpose: String

    public init(handle: String, name: String, type: String, state: State, purpose: String) {
        self.handle = handle
        self.name = name
        self.type = type
        self.state = state
        self.purpose = purpose
    }
}
