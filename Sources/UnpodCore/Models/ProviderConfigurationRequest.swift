import Foundation

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
