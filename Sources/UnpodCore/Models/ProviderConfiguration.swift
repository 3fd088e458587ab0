import Foundation

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
