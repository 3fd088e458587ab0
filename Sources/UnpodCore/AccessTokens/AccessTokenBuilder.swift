import Foundation

/// Builds an access token offline from a key id and its secret: what the Swift SDK, the CLI
/// (`unpod token`) and `POST /tokens/` share. `nbf` and `iat` are now, `exp` is always set.
public struct AccessTokenBuilder: Sendable {
    public var keyID: String
    public var secret: String
    public var identity: String
    public var name: String?
    public var metadata: String?
    public var attributes: [String: String]?
    public var kind: String?
    public var video: VideoGrant?
    public var sip: SIPGrant?
    /// The organization whose room this is, when the key alone does not say (see ``AccessTokenClaims``).
    public var organization: String?
    public var ttl: TimeInterval = AccessTokenKey.defaultTTL

    public init(keyID: String, secret: String, identity: String, video: VideoGrant? = nil) {
        self.keyID = keyID
        self.secret = secret
        self.identity = identity
        self.video = video
    }

    /// The claims this builder signs at `now`.
    public func claims(now: Date) -> AccessTokenClaims {
        let issued = Int64(now.timeIntervalSince1970.rounded(.down))
        return AccessTokenClaims(
            issuer: keyID, identity: identity, notBefore: issued, expires: issued + Int64(ttl.rounded(.up)), issuedAt: issued,
            name: name, metadata: metadata, attributes: attributes, kind: kind, video: video, sip: sip,
            organization: organization)
    }

    public func build(now: Date = Date()) async throws -> String {
        try await AccessTokenKey(keyID: keyID, secret: secret).sign(claims(now: now))
    }
}
