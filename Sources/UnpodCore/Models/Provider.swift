import Foundation

/// PRV-1: a provider of the global catalog (platform-api.md 2.11): the union of both documented
/// field sets, plus `type` as the connect-provider answers show it.
public struct Provider: Codable, Sendable, Equatable {
    public var id: Int
    public var name: String
    public var slug: String
    public var description: String
    public var icon: String
    public var type: String

    public init(id: Int, name: String, slug: String, description: String, icon: String, type: String) {
        self.id = id
        self.name = name
        self.slug = slug
        self.description = description
        self.icon = icon
        self.type = type
    }
}

/// A provider configuration (platform-api.md 2.12): the union of models P1 and P2. Credentials
/// come back masked on every answer (`••••1234`), the create answer included.
public struct ProviderConfiguration: Codable, Sendable, Equatable {
    public struct ProviderDetails: Codable, Sendable, Equatable {
        public var id: Int
        public var name: String
        public var description: String
        public var icon: String
    }

    public struct MetaEntry: Codable, Sendable, Equatable {
        public var metaKey: String
        public var metaValue: String

        enum CodingKeys: String, CodingKey {
            case metaKey = "meta_key"
            case metaValue = "meta_value"
        }

        public init(metaKey: String, metaValue: String) {
            self.metaKey = metaKey
            self.metaValue = metaValue
        }
    }

    public var id: Int
    public var name: String
    /// The provider's id (P2); its slug is `providerSlug` (P1's `provider`).
    public var provider: Int
    public var providerSlug: String
    public var providerDetails: ProviderDetails
    public var orgHandle: String
    /// P1's `account_sid` and P2's `api_key`: the same credential, masked.
    public var accountSid: String
    public var apiKey: String
    /// P1's `auth_token` and P2's `api_secret`: the same secret, masked.
    public var authToken: String
    public var apiSecret: String
    public var baseUrl: String?
    public var sipUrl: String?
    public var metaJson: [MetaEntry]
    public var active: Bool
    public var createdAt: Date
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, provider, active
        case providerSlug = "provider_slug"
        case providerDetails = "provider_details"
        case orgHandle = "org_handle"
        case accountSid = "account_sid"
        case apiKey = "api_key"
        case authToken = "auth_token"
        case apiSecret = "api_secret"
        case baseUrl = "base_url"
        case sipUrl = "sip_url"
        case metaJson = "meta_json"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(
        id: Int, name: String, provider: Provider, orgHandle: String, maskedAccount: String, maskedSecret: String,
        baseUrl: String?, sipUrl: String?, metaJson: [MetaEntry], active: Bool, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.name = name
        self.provider = provider.id
        self.providerSlug = provider.slug
        self.providerDetails = ProviderDetails(
            id: provider.id, name: provider.name, description: provider.description, icon: provider.icon)
        self.orgHandle = orgHandle
        self.accountSid = maskedAccount
        self.apiKey = maskedAccount
        self.authToken = maskedSecret
        self.apiSecret = maskedSecret
        self.baseUrl = baseUrl
        self.sipUrl = sipUrl
        self.metaJson = metaJson
        self.active = active
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// `••••` and the last four characters; shorter values are masked whole.
    public static func mask(last4: String) -> String {
        "••••" + last4
    }

    // Unset values go out as null, so every configuration has the same keys.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(provider, forKey: .provider)
        try container.encode(providerSlug, forKey: .providerSlug)
        try container.encode(providerDetails, forKey: .providerDetails)
        try container.encode(orgHandle, forKey: .orgHandle)
        try container.encode(accountSid, forKey: .accountSid)
        try container.encode(apiKey, forKey: .apiKey)
        try container.encode(authToken, forKey: .authToken)
        try container.encode(apiSecret, forKey: .apiSecret)
        try container.encode(baseUrl, forKey: .baseUrl)
        try container.encode(sipUrl, forKey: .sipUrl)
        try container.encode(metaJson, forKey: .metaJson)
        try container.encode(active, forKey: .active)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// `provider` in a request: a provider id (P2) or a slug (P1).
public enum ProviderReference: Codable, Sendable, Equatable {
    case id(Int)
    case slug(String)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let id = try? container.decode(Int.self) {
            self = .id(id)
        } else if let slug = try? container.decode(String.self) {
            self = .slug(slug)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "a provider id or slug")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .id(let id): try container.encode(id)
        case .slug(let slug): try container.encode(slug)
        }
    }
}

/// CFG-1 and CFG-4 bodies, in either documented vocabulary (`account_sid`/`auth_token` or
/// `api_key`/`api_secret`). Every field is optional here; CFG-1 checks what a new one needs.
public struct ProviderConfigurationRequest: Codable, Sendable, Equatable {
    public var name: String?
    public var provider: ProviderReference?
    public var accountSid: String?
    public var authToken: String?
    public var apiKey: String?
    public var apiSecret: String?
    public var baseUrl: String?
    public var sipUrl: String?
    public var metaJson: [ProviderConfiguration.MetaEntry]?
    public var active: Bool?

    enum CodingKeys: String, CodingKey {
        case name, provider, active
        case accountSid = "account_sid"
        case authToken = "auth_token"
        case apiKey = "api_key"
        case apiSecret = "api_secret"
        case baseUrl = "base_url"
        case sipUrl = "sip_url"
        case metaJson = "meta_json"
    }

    public init(
        name: String? = nil, provider: ProviderReference? = nil, accountSid: String? = nil, authToken: String? = nil,
        apiKey: String? = nil, apiSecret: String? = nil, baseUrl: String? = nil, sipUrl: String? = nil,
        metaJson: [ProviderConfiguration.MetaEntry]? = nil, active: Bool? = nil
    ) {
        self.name = name
        self.provider = provider
        self.accountSid = accountSid
        self.authToken = authToken
        self.apiKey = apiKey
        self.apiSecret = apiSecret
        self.baseUrl = baseUrl
        self.sipUrl = sipUrl
        self.metaJson = metaJson
        self.active = active
    }
}
