import Foundation

/// PRV-1: a provider of the global catalog (platform-api.md 2.11): the union of both documented
/// field sets, plus `type` as the connect-provider answers show it.
public struct Provider: Sendable, Equatable {
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
public struct ProviderConfiguration: Sendable, Equatable {
    public struct ProviderDetails: Sendable, Equatable {
        public var id: Int
        public var name: String
        public var description: String
        public var icon: String
    }

    /// Stored as JSON in the configuration's row, in the wire's spelling.
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
}

/// `provider` in a request: a provider id (P2) or a slug (P1).
public enum ProviderReference: Sendable, Equatable {
    case id(Int)
    case slug(String)
}

/// CFG-1 and CFG-4 bodies, in either documented vocabulary (`account_sid`/`auth_token` or
/// `api_key`/`api_secret`). Every field is optional here; CFG-1 checks what a new one needs.
public struct ProviderConfigurationRequest: Sendable, Equatable {
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
