import Foundation

/// A key as `GET /api-keys/` lists it: never the secret, only its public prefix.
public struct APIKeySummary: Sendable, Equatable {
    /// `active`, `expired`, or `rotated` (still accepted until `graceUntil`).
    public enum Status: String, Codable, Sendable { case active, expired, rotated }

    public var keyId: String
    public var name: String
    /// `unpod_<key id>_`: enough to recognise the key, useless to use it.
    public var prefix: String
    public var scopes: [Scope]
    /// The organization the key is restricted to; null when it acts in all of its user's organizations.
    public var orgHandle: String?
    public var createdAt: Date
    public var expiresAt: Date?
    public var lastUsedAt: Date?
    public var rotatedAt: Date?
    public var graceUntil: Date?
    public var status: Status

    public init(
        keyId: String, name: String, scopes: [Scope], orgHandle: String?, createdAt: Date, expiresAt: Date?,
        lastUsedAt: Date?, rotatedAt: Date?, graceUntil: Date?, status: Status
    ) {
        self.keyId = keyId
        self.name = name
        self.prefix = APIKeyToken.displayPrefix(keyID: keyId)
        self.scopes = scopes
        self.orgHandle = orgHandle
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
        self.rotatedAt = rotatedAt
        self.graceUntil = graceUntil
        self.status = status
    }
}
