/// The API key a user is shown once: `unpod_<key id>_<secret><checksum>`.
///
/// - `unpod_`: a fixed prefix, so secret scanners and people recognise a leaked key.
/// - key id: 16 base62 characters, public. It names the key in the API (`key_id`) and is the `iss`
///   of access tokens minted with it.
/// - secret: 43 base62 characters drawn uniformly, about 256 bits.
/// - checksum: CRC-32 of everything before it, as 6 base62 digits (in the manner of GitHub's tokens),
///   so a mistyped or made-up token is refused before the store is asked.
///
/// Every character is URL-safe; the whole token matches ``APIKeyToken/pattern``.
public struct APIKeyToken: Sendable, Equatable {
    public static let prefix = "unpod_"
    public static let keyIDLength = 16
    public static let secretLength = 43
    public static let checksumLength = 6
    /// 72 characters in all.
    public static let length = prefix.utf8.count + keyIDLength + 1 + secretLength + checksumLength

    /// The regular expression a secret scanner can use to find leaked keys (published in the README).
    public static let pattern = #"\bunpod_[0-9A-Za-z]{16}_[0-9A-Za-z]{49}\b"#

    /// The public key id.
    public let keyID: String
    /// The secret part, without prefix, key id or checksum.
    public let secret: String
    /// The full token as shown to the user.
    public let text: String

    /// Builds a token from its parts, computing the checksum.
    public init(keyID: String, secret: String) {
        self.keyID = keyID
        self.secret = secret
        let body = Self.prefix + keyID + "_" + secret
        self.text = body + Base62.fixedWidth(UInt64(CRC32.checksum(body.utf8)), width: Self.checksumLength)
    }

    /// A new token with a random key id and secret.
    public static func generate() -> APIKeyToken {
        var generator = SystemRandomNumberGenerator()
        return APIKeyToken(
            keyID: Base62.random(count: keyIDLength, using: &generator),
            secret: Base62.random(count: secretLength, using: &generator))
    }

    /// Whether `keyID` has the shape of a public key id (16 base62 characters).
    public static func isWellFormedKeyID(_ keyID: some StringProtocol) -> Bool {
        keyID.utf8.count == keyIDLength && keyID.utf8.allSatisfy(Base62.isDigit)
    }

    /// Parses and checks a token: its shape, its prefix and its checksum. Nil for anything else.
    public static func parse(_ text: some StringProtocol) -> APIKeyToken? {
        var text = String(text)
        let valid = text.withUTF8 { isValid($0) }
        guard valid else { return nil }
        let keyIDStart = text.utf8.index(text.utf8.startIndex, offsetBy: prefixLength)
        let separator = text.utf8.index(keyIDStart, offsetBy: keyIDLength)
        let secretStart = text.utf8.index(after: separator)
        let checksumStart = text.utf8.index(secretStart, offsetBy: secretLength)
        return APIKeyToken(
            keyID: String(text[keyIDStart..<separator]), secret: String(text[secretStart..<checksumStart]), text: text)
    }

    /// Shape, prefix and checksum of a token given as UTF-8 bytes. The authentication check calls this
    /// on a cache miss, so it reads the bytes in place and allocates nothing.
    public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard hasValidShape(bytes) else { return false }
        let checksumStart = length - checksumLength
        guard let expected = Base62.decode(bytes[checksumStart...]) else { return false }
        return expected == UInt64(CRC32.checksum(buffer: UnsafeBufferPointer(rebasing: bytes[..<checksumStart])))
    }

    /// Length, prefix, separator and alphabet, without the checksum: what the authentication
    /// check looks at before the cache.
    public static func hasValidShape(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count == length else { return false }
        let separator = prefixLength + keyIDLength
        for index in 0..<prefixLength where bytes[index] != prefixBytes[index] { return false }
        guard bytes[separator] == UInt8(ascii: "_") else { return false }
        return Base62.allDigits(UnsafeBufferPointer(rebasing: bytes[prefixLength..<separator]))
            && Base62.allDigits(UnsafeBufferPointer(rebasing: bytes[(separator + 1)...]))
    }

    private static let prefixBytes: [UInt8] = Array(prefix.utf8)
    private static let prefixLength = prefixBytes.count

    private init(keyID: String, secret: String, text: String) {
        self.keyID = keyID
        self.secret = secret
        self.text = text
    }

    /// What may be shown of a key after creation: its prefix and id, never the secret.
    public static func displayPrefix(keyID: String) -> String { prefix + keyID + "_" }
}
