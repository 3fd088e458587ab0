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

/// A duration given either as seconds (`3600`) or as text (`"30d"`, `"24h"`).
public struct DurationValue: Codable, Sendable, Equatable {
    public var seconds: TimeInterval

    public init(seconds: TimeInterval) { self.seconds = seconds }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            guard number > 0, TimeInterval(number) <= DurationText.maximumSeconds else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "must be a positive number of seconds, at most 100 years")
            }
            seconds = TimeInterval(number)
        } else if let text = try? container.decode(String.self), let parsed = DurationText.seconds(text) {
            seconds = parsed
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "a duration is seconds or text such as 30d, 24h, 15m")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Int(seconds))
    }
}

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

