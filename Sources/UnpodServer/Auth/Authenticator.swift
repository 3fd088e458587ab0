import CoreMetrics
import Foundation
import UnpodCore

/// Turns an `Authorization` header into a ``Caller`` or one of the errors of decisions.md section 1.
///
/// The order is fixed: header shape, then the token's own checksum (no store call for a made-up or
/// mistyped token), then the cache, then the store on a miss; then inactive user, then expiry.
///
/// A class: the middleware holds one reference to it, so a request retains one object, not each field.
final class Authenticator: Sendable {
    let vault: KeyVault
    let credentials: any CredentialStore
    let cache: AuthCache
    let clock: any WallClock
    let lastUsed: LastUsedRecorder
    /// Nil when no rate limit is configured.
    let rateLimiter: RateLimiter?
    /// Nil when failed authentications are not throttled.
    let failureThrottle: FailedAuthThrottle?
    let metrics: ServerMetrics

    init(
        vault: KeyVault, credentials: any CredentialStore, cache: AuthCache, clock: any WallClock,
        lastUsed: LastUsedRecorder, rateLimiter: RateLimiter?, failureThrottle: FailedAuthThrottle?,
        metrics: ServerMetrics
    ) {
        self.vault = vault
        self.credentials = credentials
        self.cache = cache
        self.clock = clock
        self.lastUsed = lastUsed
        self.rateLimiter = rateLimiter
        self.failureThrottle = failureThrottle
        self.metrics = metrics
    }

    /// - Parameter client: the client's address, asked for only when authentication fails or the
    ///   address is throttled (never on the path of a cached, valid key).
    func authenticate(authorization: String?, client: () -> String) async throws -> Caller {
        guard var header = authorization else { throw APIError.notAuthenticated }
        // Everything up to the cache lookup reads the header's bytes in place: no allocation.
        let hash: LookupHash
        do {
            hash = try header.withUTF8 { bytes in
                let token = try Self.credential(inHeader: bytes)
                guard APIKeyToken.isValid(token) else { throw APIError.invalidToken }
                return vault.lookupHash(ofUTF8: token)
            }
        } catch let error as APIError {
            throw failure(error, client: client)
        }
        let caller: Caller
        switch cache.lookup(hash) {
        case (.known(let cached)?, _):
            metrics.cacheHits.increment()
            caller = cached
        case (.unknown?, _):
            metrics.cacheHits.increment()
            throw failure(.invalidToken, client: client)
        case (nil, let generation):
            metrics.cacheMisses.increment()
            if let failureThrottle, let wait = failureThrottle.refusal(from: client(), for: hash, at: clock.now()) {
                throw APIError.throttled(seconds: wait)
            }
            guard let credential = try await credentials.credential(lookupHash: hash) else {
                cache.insert(.unknown, for: hash, readAt: generation)
                throw failure(.invalidToken, client: client)
            }
            failureThrottle?.rememberVerified(hash)
            caller = Caller(credential)
            cache.insert(.known(caller), for: hash, readAt: generation)
        }
        guard caller.userActive else { throw APIError.userInactive }
        let now = clock.now()
        guard !caller.isExpired(at: now) else { throw APIError.tokenExpired }
        try rateLimiter?.admit(keyRowID: caller.keyRowID, at: now)
        if caller.shouldRecordUse(at: now) { lastUsed.record(keyRowID: caller.keyRowID, at: now) }
        return caller
    }

    /// A presented credential that failed counts against the client's address; over its budget,
    /// the answer is 429 instead. A missing header is no attempt and does not count.
    private func failure(_ error: APIError, client: () -> String) -> APIError {
        guard let failureThrottle, error.code == APIError.invalidToken.code || error.code == APIError.headerWithSpaces.code
        else { return error }
        if let wait = failureThrottle.recordFailure(from: client(), at: clock.now()) {
            return .throttled(seconds: wait)
        }
        return error
    }

    /// The credential part of `Authorization: Token <key>` (or `Bearer`), with DRF's messages for
    /// a header of the wrong shape. A scheme this server does not know reads as no credentials;
    /// `JWT` is known but no session tokens are issued yet, so any JWT is an invalid token.
    static func credential(inHeader bytes: UnsafeBufferPointer<UInt8>) throws -> UnsafeBufferPointer<UInt8> {
        var cursor = 0
        func nextWord() -> Range<Int>? {
            while cursor < bytes.count, isSpace(bytes[cursor]) { cursor += 1 }
            let start = cursor
            while cursor < bytes.count, !isSpace(bytes[cursor]) { cursor += 1 }
            return cursor > start ? start..<cursor : nil
        }
        guard let schemeRange = nextWord() else { throw APIError.notAuthenticated }
        let scheme = UnsafeBufferPointer(rebasing: bytes[schemeRange])
        let isKeyScheme = equalsIgnoringCase(scheme, "token") || equalsIgnoringCase(scheme, "bearer")
        guard isKeyScheme || equalsIgnoringCase(scheme, "jwt") else { throw APIError.notAuthenticated }
        guard let tokenRange = nextWord() else { throw APIError.headerWithoutCredentials }
        guard nextWord() == nil else { throw APIError.headerWithSpaces }
        guard isKeyScheme else { throw APIError.invalidToken }
        return UnsafeBufferPointer(rebasing: bytes[tokenRange])
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    /// ASCII case-insensitive comparison with a lower-case word.
    private static func equalsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        guard bytes.count == word.utf8CodeUnitCount else { return false }
        for index in 0..<bytes.count where bytes[index] | 0x20 != word.utf8Start[index] { return false }
        return true
    }
}
