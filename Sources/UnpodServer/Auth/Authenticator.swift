import Foundation
import UnpodCore

/// Turns an `Authorization` header into a ``Caller`` or one of the errors of decisions.md section 1.
///
/// The order is fixed: header shape, then the token's own checksum (no store call for a made-up or
/// mistyped token), then the cache, then the store on a miss; then inactive user, then expiry.
struct Authenticator: Sendable {
    let vault: KeyVault
    let credentials: any CredentialStore
    let cache: AuthCache
    let clock: any WallClock
    let lastUsed: LastUsedRecorder
    /// Nil when no rate limit is configured.
    let rateLimiter: RateLimiter?

    func authenticate(authorization: String?) async throws -> Caller {
        let token = try Self.token(fromHeader: authorization)
        guard let parsed = APIKeyToken.parse(token) else { throw APIError.invalidToken }
        let hash = vault.lookupHash(of: parsed.text)
        let caller: Caller
        switch cache.lookup(hash) {
        case (.known(let cached)?, _):
            caller = cached
        case (.unknown?, _):
            throw APIError.invalidToken
        case (nil, let generation):
            guard let credential = try await credentials.credential(lookupHash: hash) else {
                cache.insert(.unknown, for: hash, readAt: generation)
                throw APIError.invalidToken
            }
            caller = Caller(credential)
            cache.insert(.known(caller), for: hash, readAt: generation)
        }
        guard caller.userActive else { throw APIError.userInactive }
        let now = clock.now()
        guard !caller.isExpired(at: now) else { throw APIError.tokenExpired }
        try rateLimiter?.admit(keyRowID: caller.keyRowID, at: now)
        lastUsed.record(keyRowID: caller.keyRowID, at: now)
        return caller
    }

    /// The credential part of `Authorization: Token <key>` (or `Bearer`), with DRF's messages for
    /// a header of the wrong shape. A scheme this server does not know reads as no credentials;
    /// `JWT` is known but no session tokens are issued yet, so any JWT is an invalid token.
    static func token(fromHeader header: String?) throws -> Substring {
        guard let header else { throw APIError.notAuthenticated }
        let words = header.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard let scheme = words.first else { throw APIError.notAuthenticated }
        let isKeyScheme = scheme.caseInsensitiveEquals("token") || scheme.caseInsensitiveEquals("bearer")
        let isJWT = scheme.caseInsensitiveEquals("jwt")
        guard isKeyScheme || isJWT else { throw APIError.notAuthenticated }
        guard words.count > 1 else { throw APIError.headerWithoutCredentials }
        guard words.count == 2 else { throw APIError.headerWithSpaces }
        guard isKeyScheme else { throw APIError.invalidToken }
        return words[1]
    }
}

extension Substring {
    /// ASCII case-insensitive comparison, without building lower-cased copies.
    func caseInsensitiveEquals(_ other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        return zip(utf8, other.utf8).allSatisfy { $0 | 0x20 == $1 | 0x20 }
    }
}
