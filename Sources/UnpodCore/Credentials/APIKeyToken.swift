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
    /// This runs on every request, so it works on UTF-8 bytes and allocates only on success.
    public static func parse(_ text: some StringProtocol) -> APIKeyToken? {
        let bytes = Array(text.utf8)
        guard bytes.count == length else { return nil }
        let prefixBytes = Array(prefix.utf8)
        let keyIDStart = prefixBytes.count
        let separator = keyIDStart + keyIDLength
        let secretStart = separator + 1
        let checksumStart = secretStart + secretLength
        guard bytes[..<keyIDStart].elementsEqual(prefixBytes), bytes[separator] == UInt8(ascii: "_") else {
            return nil
        }
        guard bytes[keyIDStart..<separator].allSatisfy(Base62.isDigit),
            bytes[secretStart...].allSatisfy(Base62.isDigit)
        else { return nil }
        guard let expected = Base62.decode(bytes[checksumStart...]),
            expected == UInt64(CRC32.checksum(bytes[..<checksumStart]))
        else { return nil }
        return APIKeyToken(
            keyID: String(decoding: bytes[keyIDStart..<separator], as: UTF8.self),
            secret: String(decoding: bytes[secretStart..<checksumStart], as: UTF8.self),
            text: String(decoding: bytes, as: UTF8.self))
    }

    private init(keyID: String, secret: String, text: String) {
        self.keyID = keyID
        self.secret = secret
        self.text = text
    }

    /// What may be shown of a key after creation: its prefix and id, never the secret.
    public static func displayPrefix(keyID: String) -> String { prefix + keyID + "_" }
}
