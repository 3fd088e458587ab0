import Foundation

/// A freshly made key: the only answer that ever carries the token.
public struct CreatedAPIKey: Sendable, Equatable {
    public var keyId: String
    /// Shown this once; the server keeps only a hash and an encrypted copy of the secret.
    public var token: String
    public var name: String
    public var scopes: [Scope]
    public var orgHandle: String?
    public var createdAt: Date
    public var expiresAt: Date?
    /// On rotation: the key this one replaces, and until when that one still works.
    public var replacesKeyId: String?
    public var previousKeyGraceUntil: Date?

    public init(
        keyId: String, token: String, name: String, scopes: [Scope], orgHandle: String?, createdAt: Date,
        expiresAt: Date?, replacesKeyId: String? = nil, previousKeyGraceUntil: Date? = nil
    ) {
        self.keyId = keyId
        self.token = token
        self.name = name
        self.scopes = scopes
        self.orgHandle = orgHandle
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.replacesKeyId = replacesKeyId
        self.previousKeyGraceUntil = previousKeyGraceUntil
    }
}
