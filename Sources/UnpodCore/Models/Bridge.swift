import Foundation

/// A telephony bridge (platform-api.md 2.9.1): the union of every documented field.
public struct Bridge: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable, CaseIterable { case DRAFT, ACTIVE, INACTIVE }

    /// A number on the bridge (BridgeNumber).
    public struct Number: Codable, Sendable, Equatable {
        public var id: Int
        public var numberId: Int
        public var number: String
        public var state: String
        public var active: Bool
        public var channelsCount: Int
        public var status: String

        enum CodingKeys: String, CodingKey {
            case id, number, state, active, status
            case numberId = "number_id"
            case channelsCount = "channels_count"
        }

        public init(numberId: Int, number: String, active: Bool) {
            self.id = numberId
            self.numberId = numberId
            self.number = number
            self.state = "ASSIGNED"
            self.active = active
            self.channelsCount = 1
            self.status = active ? "active" : "inactive"
        }
    }

    /// The connected provider configuration, as connect answers show it (variant A).
    public struct ProviderCredential: Codable, Sendable, Equatable {
        public struct Details: Codable, Sendable, Equatable {
            public var id: Int
            public var name: String
            public var type: String
        }

        public var id: Int
        public var name: String
        public var provider: Int
        public var providerDetails: Details
        public var active: Bool

        enum CodingKeys: String, CodingKey {
            case id, name, provider, active
            case providerDetails = "provider_details"
        }

        public init(id: Int, name: String, providerID: Int, providerName: String, providerType: String, active: Bool) {
            self.id = id
            self.name = name
            self.provider = providerID
            self.providerDetails = Details(id: providerID, name: providerName, type: providerType)
            self.active = active
        }
    }

    public var id: Int
    public var name: String
    public var slug: String
    public var description: String
    public var status: Status
    public var documentsStatus: String
    public var region: String?
    public var hub: Int?
    public var numbers: [Number]
    /// The connected provider's slug, null when none is connected.
    public var provider: String?
    public var providerCredential: ProviderCredential?
    public var organization: OrganizationSummary
    public var createdAt: Date
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, slug, description, status, region, hub, numbers, provider, organization
        case documentsStatus = "documents_status"
        case providerCredential = "provider_credential"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(
        id: Int, name: String, slug: String, description: String, status: Status, region: String?, numbers: [Number],
        provider: String?, providerCredential: ProviderCredential?, organization: OrganizationSummary, createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.name = name
        self.slug = slug
        self.description = description
        self.status = status
        self.documentsStatus = "pending"
        self.region = region
        self.hub = nil
        self.numbers = numbers
        self.provider = provider
        self.providerCredential = providerCredential
        self.organization = organization
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(slug, forKey: .slug)
        try container.encode(description, forKey: .description)
        try container.encode(status, forKey: .status)
        try container.encode(documentsStatus, forKey: .documentsStatus)
        try container.encode(region, forKey: .region)
        try container.encode(hub, forKey: .hub)
        try container.encode(numbers, forKey: .numbers)
        try container.encode(provider, forKey: .provider)
        try container.encode(providerCredential, forKey: .providerCredential)
        try container.encode(organization, forKey: .organization)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// BRG-1 body (both documented forms: `slug` optional).
public struct CreateBridgeRequest: Codable, Sendable, Equatable {
    public var name: String?
    public var slug: String?
    public var description: String?
    public var region: String?

    public init(name: String, slug: String? = nil, description: String? = nil, region: String? = nil) {
        self.name = name
        self.slug = slug
        self.description = description
        self.region = region
    }
}

/// BRG-4 body: every field optional; `slug` and `region` cannot change.
public struct UpdateBridgeRequest: Codable, Sendable, Equatable {
    public var name: String?
    public var description: String?
    public var status: String?
    public var slug: String?

    public init(name: String? = nil, description: String? = nil, status: Bridge.Status? = nil) {
        self.name = name
        self.description = description
        self.status = status?.rawValue
    }
}

/// BRG-6/7 body, in either documented variant.
public struct BridgeProviderRequest: Codable, Sendable, Equatable {
    public var providerCredentialId: Int?
    public var providerConfigId: Int?
    public var phoneNumber: String?

    enum CodingKeys: String, CodingKey {
        case providerCredentialId = "provider_credential_id"
        case providerConfigId = "provider_config_id"
        case phoneNumber = "phone_number"
    }

    /// Variant B when `phoneNumber` is given, else variant A.
    public init(configurationID: Int?, phoneNumber: String? = nil) {
        self.providerConfigId = configurationID
        self.phoneNumber = phoneNumber
    }
}

/// BRG-6/7 answer: the union of both variants' keys.
public struct BridgeProviderResult: Codable, Sendable, Equatable {
    public var id: Int
    public var name: String
    public var slug: String
    public var providerCredential: Bridge.ProviderCredential?
    public var message: String
    public var bridgeSlug: String
    public var phoneNumber: String?

    enum CodingKeys: String, CodingKey {
        case id, name, slug, message
        case providerCredential = "provider_credential"
        case bridgeSlug = "bridge_slug"
        case phoneNumber = "phone_number"
    }

    public init(bridge: Bridge, message: String, phoneNumber: String?) {
        self.id = bridge.id
        self.name = bridge.name
        self.slug = bridge.slug
        self.providerCredential = bridge.providerCredential
        self.message = message
        self.bridgeSlug = bridge.slug
        self.phoneNumber = phoneNumber
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(slug, forKey: .slug)
        try container.encode(providerCredential, forKey: .providerCredential)
        try container.encode(message, forKey: .message)
        try container.encode(bridgeSlug, forKey: .bridgeSlug)
        try container.encode(phoneNumber, forKey: .phoneNumber)
    }
}
