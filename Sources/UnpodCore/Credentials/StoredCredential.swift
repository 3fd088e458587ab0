import Foundation

/// A user's place in one organization.
public struct Membership: Sendable, Equatable {
    public var organization: OrganizationSummary
    public var role: Role

    public init(organization: OrganizationSummary, role: Role) {
        self.organization = organization
        self.role = role
    }
}

/// Everything the authentication check needs to know about one live (not revoked) API key,
/// read in one go so it can be cached whole.
public struct StoredCredential: Sendable, Equatable {
    public var keyRowID: Int
    public var keyID: String
    public var userID: Int
    public var userActive: Bool
    public var scopes: ScopeSet
    /// Set when the key may act in this one organization only.
    public var restrictedOrgID: Int?
    public var expiresAt: Date?
    /// Set once the key has been rotated; it then works until `graceUntil`.
    public var rotatedAt: Date?
    public var graceUntil: Date?
    /// The user's organizations, ordered by id.
    public var memberships: [Membership]

    public init(
        keyRowID: Int, keyID: String, userID: Int, userActive: Bool, scopes: ScopeSet, restrictedOrgID: Int?,
        expiresAt: Date?, rotatedAt: Date?, graceUntil: Date?, memberships: [Membership]
    ) {
        self.keyRowID = keyRowID
        self.keyID = keyID
        self.userID = userID
        self.userActive = userActive
        self.scopes = scopes
        self.restrictedOrgID = restrictedOrgID
        self.expiresAt = expiresAt
        self.rotatedAt = rotatedAt
        self.graceUntil = graceUntil
        self.memberships = memberships
    }

    /// The moment the key stops working: its own expiry, or the end of its grace after rotation.
    public var effectiveExpiry: Date? {
        switch (expiresAt, graceUntil) {
        case (let expiry?, let grace?): min(expiry, grace)
        case (let expiry?, nil): expiry
        case (nil, let grace?): grace
        case (nil, nil): nil
        }
    }
}

/// Where the authentication check finds keys. The server reads it only on a cache miss.
public protocol CredentialStore: Sendable {
    /// The live key with this lookup hash, or nil when there is none (unknown or revoked).
    func credential(lookupHash: LookupHash) async throws -> StoredCredential?
}
