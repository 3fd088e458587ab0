import Foundation
import JWTKit

/// Why an access token is refused.
public enum AccessTokenError: Error, Equatable, Sendable {
    /// Not a compact JWS, not HS256, or its claims are not LiveKit's.
    case malformed
    /// Signed with another secret, or altered.
    case invalidSignature
    /// `iss` is not the key the verifier holds.
    case wrongIssuer
    /// No `exp`: LiveKit and we require one.
    case noExpiry
    case expired
    case notYetValid
    /// A signing secret under 32 bytes (HS256 wants at least its output size; JWTKit insists).
    case shortSecret
}

/// Signs and checks access tokens with one API key: its public `key_id` is the LiveKit API key
/// (`iss`) and its token string is the LiveKit API secret (issue 7). HS256 through JWTKit.
public struct AccessTokenKey: Sendable {
    /// LiveKit's clock leeway on `exp` and `nbf`.
    public static let leeway: Int64 = 60
    /// LiveKit's default lifetime.
    public static let defaultTTL: TimeInterval = 6 * 3600

    public let keyID: String
    private let keys: JWTKeyCollection

    public static let minimumSecretBytes = 32

    public init(keyID: String, secret: String) async throws(AccessTokenError) {
        guard secret.utf8.count >= Self.minimumSecretBytes else { throw .shortSecret }
        self.keyID = keyID
        self.keys = await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
    }

    /// A signed token for `claims` (whose `iss` must be this key).
    public func sign(_ claims: AccessTokenClaims) async throws -> String {
        precondition(claims.iss == keyID, "an access token names the key that signs it")
        return try await keys.sign(claims, header: ["typ": "JWT"])
    }

    /// The claims of a token this key signed. Expiry and not-before are checked at `now` with
    /// 60 s leeway, unless `allowExpired` (a reconnect to a session the room still holds).
    public func verify(_ token: String, now: Date, allowExpired: Bool = false) async throws(AccessTokenError)
        -> AccessTokenClaims
    {
        guard Self.isHS256(token) else { throw .malformed }
        let claims: AccessTokenClaims
        do {
            claims = try await keys.verify(token, as: AccessTokenClaims.self)
        } catch let error as JWTError where error.errorType == .signatureVerificationFailed {
            throw .invalidSignature
        } catch {
            throw .malformed
        }
        guard claims.iss == keyID else { throw .wrongIssuer }
        try Self.checkTimes(claims, now: now, allowExpired: allowExpired)
        return claims
    }

    public static func checkTimes(_ claims: AccessTokenClaims, now: Date, allowExpired: Bool) throws(AccessTokenError) {
        let seconds = Int64(now.timeIntervalSince1970.rounded(.down))
        guard let expires = claims.exp else { throw .noExpiry }
        if !allowExpired, seconds > expires + leeway { throw .expired }
        if let notBefore = claims.nbf, seconds + leeway < notBefore { throw .notYetValid }
    }

    /// The `iss` of a token, before anything is verified: which key to verify it with.
    public static func unverifiedIssuer(of token: String) -> String? {
        let parts = token.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3, parts[1].count <= 16 * 1024 else { return nil }
        return Array(parts[1]).withUnsafeBufferPointer { segment in
            Base64URL.decode(segment).flatMap { json in json.withUnsafeBufferPointer { try? ClaimsReader.claims($0).iss } }
        }
    }

    private static func isHS256(_ token: String) -> Bool {
        guard let header = token.utf8.split(separator: UInt8(ascii: "."), maxSplits: 1).first else { return false }
        return Array(header).withUnsafeBufferPointer(AccessTokenVerifier.isHS256Header)
    }
}
