// SymmetricKey is an immutable value that swift-crypto 3 has not yet marked Sendable.
@preconcurrency import Crypto
import Foundation

/// The HMAC-SHA-256 of a token under the server's pepper: how a key is found without storing it.
/// Kept as four words so the in-memory cache can hash and compare it without allocating.
public struct LookupHash: Hashable, Sendable {
    public let words: (UInt64, UInt64, UInt64, UInt64)

    public init(bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count == 32, "a lookup hash is 32 bytes")
        func word(_ offset: Int) -> UInt64 {
            (0..<8).reduce(0) { $0 << 8 | UInt64(bytes[offset + $1]) }
        }
        self.words = (word(0), word(8), word(16), word(24))
    }

    /// Parses the stored hex form.
    public init?(hex: String) {
        guard hex.utf8.count == 64 else { return nil }
        var bytes = [UInt8]()
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self = bytes.withUnsafeBytes { LookupHash(bytes: $0) }
    }

    /// 64 lower-case hex digits: the stored form, the same in SQLite and PostgreSQL.
    public var hex: String {
        [words.0, words.1, words.2, words.3].map { word in
            let digits = String(word, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }.joined()
    }

    public static func == (lhs: LookupHash, rhs: LookupHash) -> Bool {
        // Constant time: the comparison must not tell how many leading bits matched.
        (lhs.words.0 ^ rhs.words.0) | (lhs.words.1 ^ rhs.words.1) | (lhs.words.2 ^ rhs.words.2)
            | (lhs.words.3 ^ rhs.words.3) == 0
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
    }
}

/// The server's two secrets and what is done with them (decisions.md section 1):
/// - the pepper keys the HMAC that finds a token (`lookup_hash`);
/// - the master key seals a key's secret with AES-GCM, so it can later sign access tokens.
/// Neither the token nor the secret is ever stored in plain text.
public struct KeyVault: Sendable {
    private let masterKey: SymmetricKey
    /// HMAC already keyed with the pepper: each lookup copies it instead of deriving the pads again.
    private let keyedHMAC: HMAC<SHA256>

    /// Both keys must be 32 bytes.
    public init(masterKey: [UInt8], pepper: [UInt8]) {
        precondition(masterKey.count == 32 && pepper.count == 32, "keys are 32 bytes")
        self.masterKey = SymmetricKey(data: masterKey)
        self.keyedHMAC = HMAC<SHA256>(key: SymmetricKey(data: pepper))
    }

    public func lookupHash(of token: some StringProtocol) -> LookupHash {
        var token = String(token)
        return token.withUTF8 { lookupHash(ofUTF8: $0) }
    }

    /// The same, for a token already in hand as UTF-8 bytes (the request path).
    public func lookupHash(ofUTF8 token: UnsafeBufferPointer<UInt8>) -> LookupHash {
        var mac = keyedHMAC
        mac.update(data: UnsafeRawBufferPointer(token))
        return mac.finalize().withUnsafeBytes { LookupHash(bytes: $0) }
    }

    /// AES-256-GCM with a random nonce; base64 of nonce, ciphertext and tag.
    public func seal(_ secret: String) throws -> String {
        let box = try AES.GCM.seal(Data(secret.utf8), using: masterKey)
        guard let combined = box.combined else { throw KeyVaultError.cannotSeal }
        return combined.base64EncodedString()
    }

    public func open(_ sealed: String) throws -> String {
        guard let data = Data(base64Encoded: sealed) else { throw KeyVaultError.cannotOpen }
        let box = try AES.GCM.SealedBox(combined: data)
        return String(decoding: try AES.GCM.open(box, using: masterKey), as: UTF8.self)
    }
}

public enum KeyVaultError: Error {
    case cannotSeal, cannotOpen
}
