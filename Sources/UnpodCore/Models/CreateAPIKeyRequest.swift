import Foundation

/// Body of `POST /api-keys/`. Every field is optional.
public struct CreateAPIKeyRequest: Sendable, Equatable {
    public var name: String?
    /// Defaults to the creating key's scopes; may not exceed them.
    public var scopes: [Scope]?
    /// Restricts the new key to one organization; defaults to the creating key's restriction.
    public var orgHandle: String?
    public var expiresAt: Date?
    public var expiresIn: DurationValue?

    public init(
        name: String? = nil, scopes: [Scope]? = nil, orgHandle: String? = nil, expiresAt: Date? = nil,
        expiresIn: DurationValue? = nil
    ) {
        self.name = name
        self.scopes = scopes
        self.orgHandle = orgHandle
        self.expiresAt = expiresAt
        self.expiresIn = expiresIn
    }
}
