import CoreMetrics
import Foundation
import UnpodCore

/// Turns an `Authorization` header into a ``Caller`` or one of the errors of decisions.md section 1.
///
/// The order is fixed: header shape, then the cache, then the token's own checksum (no store call
/// for a made-up or mistyped token), then the store on a miss; then inactive user, then expiry.
///
/// A class: every route's guard holds one reference to it, so a request retains one object, not each field.
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

    /// What the cache says about a presented key: the caller, admitted, or a miss for the store.
    enum CacheAnswer {
        case admitted(Caller)
        case miss(CacheMiss)
    }

    struct CacheMiss {
        fileprivate let tag: TokenTag
        fileprivate let hash: LookupHash
        fileprivate let generation: UInt64
    }

    /// The request path's part that never suspends: header shape, then the cache (by the token's
    /// tag, see ``AuthCache``). A cached key is checked and admitted here; the guard awaits
    /// ``authenticate(_:client:)`` only on a miss, so a cached key costs no async call and no HMAC.
    ///
    /// The token's checksum and its lookup hash are computed on a miss only, before the store is
    /// asked: a token found in the cache was verified when it entered it, and a made-up token is
    /// still refused before any store call.
    /// - Parameter client: the client's address, asked for only when authentication fails or the
    ///   address is throttled (never on the path of a cached, valid key).
    func authenticateFromCache(authorization: String?, client: () -> String) throws -> CacheAnswer {
        guard var header = authorization else { throw APIError.notAuthenticated }
        // The header's bytes are read in place, once: no allocation, no second parse on a miss.
        let answer: CacheAnswer
        do {
            answer = try header.withUTF8 { bytes in
                let token = try Self.credential(inHeader: bytes)
                guard APIKeyToken.hasValidShape(token) else { throw APIError.invalidToken }
                let tag = cache.tag(of: token)
                switch cache.lookup(tag) {
                case (.known(let cached)?, _):
                    metrics.cacheHits.increment()
                    return .admitted(cached)
                case (.unknown?, _):
                    metrics.cacheHits.increment()
                    throw APIError.invalidToken
                case (nil, let generation):
                    metrics.cacheMisses.increment()
                    guard APIKeyToken.isValid(token) else { throw APIError.invalidToken }
                    return .miss(CacheMiss(tag: tag, hash: vault.lookupHash(ofUTF8: token), generation: generation))
                }
            }
        } catch let error as APIError {
            throw failure(error, client: client)
        }
        // Inactive, expired and rate-limited are answers about a real key, not failed attempts.
        guard case .admitted(let cached) = answer else { return answer }
        return .admitted(try admit(cached))
    }

    /// A key the cache did not know: the store is asked (unless the address is throttled), and the
    /// answer, either way, enters the cache.
    func authenticate(_ miss: CacheMiss, client: () -> String) async throws -> Caller {
        if let failureThrottle, let wait = failureThrottle.refusal(from: client(), for: miss.hash, at: clock.now()) {
            throw APIError.throttled(seconds: wait)
        }
        guard let credential = try await credentials.credential(lookupHash: miss.hash) else {
            cache.insert(.unknown, for: miss.tag, readAt: miss.generation)
            throw failure(.invalidToken, client: client)
        }
        failureThrottle?.rememberVerified(miss.hash)
        let caller = Caller(credential)
        cache.insert(.known(caller), for: miss.tag, readAt: miss.generation)
        return try admit(caller)
    }

    /// Inactive user, then expiry, then the key's rate limit; and the key's last use, now and then.
    private func admit(_ caller: Caller) throws -> Caller {
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
        // The usual header, `Token <key>` with no other space or tab, in two `memchr`s; the same
        // answer as the word-by-word reading below, which takes every other shape.
        if bytes.count > 6, let start = bytes.baseAddress, bytes[5] == UInt8(ascii: " "),
            equalsIgnoringCase(UnsafeBufferPointer(start: start, count: 5), "token")
        {
            let key = UnsafeBufferPointer(start: start + 6, count: bytes.count - 6)
            if memchr(key.baseAddress!, 0x20, key.count) == nil, memchr(key.baseAddress!, 0x09, key.count) == nil { return key }
        }
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

    /// ASCII case-insensitive comparison with a lower-case word of letters (`| 0x20` folds case for
    /// letters only: it would also make NUL equal a space).
    private static func equalsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        guard bytes.count == word.utf8CodeUnitCount else { return false }
        for index in 0..<bytes.count where bytes[index] | 0x20 != word.utf8Start[index] { return false }
        return true
    }
}
