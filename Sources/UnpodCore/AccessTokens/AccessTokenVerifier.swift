import Crypto
import Foundation

/// Checks access tokens signed with one API key, fast: the room server verifies one on every
/// join and reconnect, and issue 7 asks for 20 times the rate of LiveKit's Python verifier.
///
/// JWTKit (``AccessTokenKey``) signs, and is this verifier's reference in the tests; it verifies
/// about 34,000 tokens a second on one core here (an actor hop and two `JSONDecoder` passes per
/// token), three times Python's 12,000. This reads the token's bytes in place: the HMAC state
/// keyed once per key and copied per token, base64url decoded into small buffers, and the claims
/// read by a strict JSON reader that skips what LiveKit's layout does not name.
public struct AccessTokenVerifier: Sendable {
    public let keyID: String
    private let keyed: KeyedHMAC

    public init(keyID: String, secret: String) {
        self.keyID = keyID
        self.keyed = KeyedHMAC(HMAC<SHA256>(key: SymmetricKey(data: Array(secret.utf8))))
    }

    /// The claims of a token this key signed. Expiry and not-before are checked at `now` with
    /// 60 s leeway, unless `allowExpired` (a reconnect to a session the room still holds).
    public func verify(_ token: String, now: Date, allowExpired: Bool = false) throws(AccessTokenError) -> AccessTokenClaims {
        let claims = try verifiedClaims(token)
        guard claims.iss == keyID else { throw .wrongIssuer }
        try AccessTokenKey.checkTimes(claims, now: now, allowExpired: allowExpired)
        return claims
    }

    private func verifiedClaims(_ token: String) throws(AccessTokenError) -> AccessTokenClaims {
        var token = token
        let result: Result<AccessTokenClaims, AccessTokenError> = token.withUTF8 { bytes in
            guard bytes.count <= 64 * 1024, let first = bytes.firstIndex(of: UInt8(ascii: ".")),
                let second = bytes[(first + 1)...].firstIndex(of: UInt8(ascii: ".")),
                !bytes[(second + 1)...].contains(UInt8(ascii: "."))
            else { return .failure(.malformed) }
            let header = UnsafeBufferPointer(rebasing: bytes[..<first])
            guard Self.isHS256Header(header) else { return .failure(.malformed) }
            let signatureText = UnsafeBufferPointer(rebasing: bytes[(second + 1)...])
            let payloadText = UnsafeBufferPointer(rebasing: bytes[(first + 1)..<second])
            // Both decoded on the stack: nothing allocated before the claims themselves.
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: payloadText.count + signatureText.count) { scratch in
                let signature = UnsafeMutableBufferPointer(rebasing: scratch[..<signatureText.count])
                guard let signatureCount = Base64URL.decode(signatureText, into: signature), signatureCount == SHA256.byteCount
                else { return .failure(.invalidSignature) }
                var mac = keyed.hmac
                mac.update(data: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[..<second])))
                // HashedAuthenticationCode's == is constant-time.
                guard mac.finalize() == UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: signature[..<signatureCount])) else {
                    return .failure(.invalidSignature)
                }
                let payload = UnsafeMutableBufferPointer(rebasing: scratch[signatureText.count...])
                guard let payloadCount = Base64URL.decode(payloadText, into: payload) else { return .failure(.malformed) }
                do {
                    return .success(try ClaimsReader.claims(UnsafeBufferPointer(rebasing: payload[..<payloadCount])))
                } catch {
                    return .failure(.malformed)
                }
            }
        }
        return try result.get()
    }

    /// `{"alg":"HS256","typ":"JWT"}` in the two key orders signers write, else the header read in full.
    static func isHS256Header(_ segment: UnsafeBufferPointer<UInt8>) -> Bool {
        for common in commonHeaders where common.count == segment.count {
            if common.withUnsafeBufferPointer({ memcmp($0.baseAddress!, segment.baseAddress!, segment.count) == 0 }) {
                return true
            }
        }
        guard let json = Base64URL.decode(segment) else { return false }
        return json.withUnsafeBufferPointer { (try? ClaimsReader.algorithm(ofHeader: $0)) == "HS256" }
    }

    private static let commonHeaders: [[UInt8]] = [
        Array("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9".utf8), Array("eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9".utf8),
    ]
}

/// swift-crypto's keyed HMAC state, copied for each token.
private struct KeyedHMAC: @unchecked Sendable {
    // A value type that is never mutated in place: each use copies it.
    let hmac: HMAC<SHA256>
    init(_ hmac: HMAC<SHA256>) { self.hmac = hmac }
}

/// Base64url without padding (RFC 7515 section 2), strict: other characters, padding, or a
/// length of 1 modulo 4 are refused.
enum Base64URL {
    static func decode(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var failed = false
        let output = [UInt8](unsafeUninitializedCapacity: text.count) { output, written in
            guard let count = decode(text, into: output) else {
                failed = true
                return
            }
            written = count
        }
        return failed ? nil : output
    }

    /// Decodes into `output` (at least `text.count` bytes long); returns the byte count.
    static func decode(_ text: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>) -> Int? {
        guard text.count % 4 != 1, output.count >= text.count * 3 / 4 else { return nil }
        return table.withUnsafeBufferPointer { table -> Int? in
            let full = text.count / 4 * 4
            let tail = text.count - full
            var written = 0
            var index = 0
            while index < full {
                let a = table[Int(text[index])], b = table[Int(text[index + 1])]
                let c = table[Int(text[index + 2])], d = table[Int(text[index + 3])]
                guard (a | b | c | d) < 64 else { return nil }
                let bits = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                output[written] = UInt8(truncatingIfNeeded: bits >> 16)
                output[written + 1] = UInt8(truncatingIfNeeded: bits >> 8)
                output[written + 2] = UInt8(truncatingIfNeeded: bits)
                written += 3
                index += 4
            }
            guard tail > 0 else { return written }
            let a = table[Int(text[full])], b = table[Int(text[full + 1])]
            let c = tail == 3 ? table[Int(text[full + 2])] : 0
            // Leftover bits must be zero, or two texts would decode the same.
            guard (a | b | c) < 64, tail == 3 ? c & 0b11 == 0 : b & 0b1111 == 0 else { return nil }
            output[written] = a << 2 | b >> 4
            written += 1
            if tail == 3 {
                output[written] = b << 4 | c >> 2
                written += 1
            }
            return written
        }
    }

    private static let table: [UInt8] = {
        var table = [UInt8](repeating: 255, count: 256)
        for (index, character) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8.enumerated() {
            table[Int(character)] = UInt8(index)
        }
        return table
    }()
}
