// SymmetricKey is an immutable value that swift-crypto 3 has not yet marked Sendable.
@preconcurrency import Crypto
import Foundation

/// An endpoint's signing secret in Standard Webhooks' form: `whsec_` and the base64 of 32 random
/// bytes, the key being those bytes. Shown once; the server keeps it sealed (KeyVault).
public struct WebhookSecret: Sendable, Equatable {
    public static let prefix = "whsec_"
    public let text: String
    public let key: [UInt8]

    public static func generate() -> WebhookSecret {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return WebhookSecret(text: prefix + Data(bytes).base64EncodedString(), key: bytes)
    }

    /// Parses a stored or shown secret; nil when it is not `whsec_` and base64.
    public init?(_ text: String) {
        guard text.hasPrefix(Self.prefix), let data = Data(base64Encoded: String(text.dropFirst(Self.prefix.count))), data.count >= 24
        else { return nil }
        self.init(text: text, key: Array(data))
    }

    private init(text: String, key: [UInt8]) {
        self.text = text
        self.key = key
    }

    /// `v1,` and the base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`: over the raw bytes sent.
    public func signature(id: String, timestamp: Int64, body: [UInt8]) -> String {
        var mac = HMAC<SHA256>(key: SymmetricKey(data: key))
        mac.update(data: Array("\(id).\(timestamp).".utf8))
        mac.update(data: body)
        return "v1," + Data(mac.finalize()).base64EncodedString()
    }
}
