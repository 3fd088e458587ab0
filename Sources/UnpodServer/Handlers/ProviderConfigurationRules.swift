import Foundation
import UnpodCore
import UnpodPersistence

/// What a provider configuration's body may hold (platform-api.md 2.12): either vocabulary, both
/// spellings of one field agreeing, credentials printable and bounded, URLs of their schemes.
enum ProviderConfigurationRules {
    /// Checks the values a body gives, in either vocabulary; both spellings of one field must agree.
    static func fields(_ body: ProviderConfigurationRequest, failure: String) throws -> ProviderConfigurationFields {
        func one(_ first: String?, _ second: String?, _ names: String) throws -> String? {
            if let first, let second, first != second { throw APIError.failed(failure, "\(names) differ; give one of them") }
            return first ?? second
        }
        var fields = ProviderConfigurationFields()
        if let name = body.name?.trimmingCharacters(in: .whitespacesAndNewlines) {
            guard (1...100).contains(name.count) else { throw APIError.failed(failure, "name must be 1 to 100 characters") }
            fields.name = name
        }
        if let account = try one(body.accountSid, body.apiKey, "account_sid and api_key") {
            guard Self.isCredential(account, maximum: 256) else {
                throw APIError.failed(failure, "account_sid must be 1 to 256 printable characters")
            }
            fields.account = account
        }
        if let secret = try one(body.authToken, body.apiSecret, "auth_token and api_secret") {
            guard Self.isCredential(secret, maximum: 1024) else {
                throw APIError.failed(failure, "auth_token must be 1 to 1024 printable characters")
            }
            fields.secret = secret
        }
        if let baseURL = body.baseUrl {
            guard baseURL.isEmpty || isURL(baseURL, schemes: ["http", "https"]) else {
                throw APIError.failed(failure, "base_url must be an http or https URL")
            }
            fields.baseURL = .some(baseURL.isEmpty ? nil : baseURL)
        }
        if let sipURL = body.sipUrl {
            guard sipURL.isEmpty || isURL(sipURL, schemes: ["sip", "sips"]) else {
                throw APIError.failed(failure, "sip_url must be a SIP URI such as sip:username@domain.com")
            }
            fields.sipURL = .some(sipURL.isEmpty ? nil : sipURL)
        }
        if let meta = body.metaJson {
            guard meta.count <= 50,
                meta.allSatisfy({ (1...100).contains($0.metaKey.count) && $0.metaValue.count <= 1000 })
            else { throw APIError.failed(failure, "meta_json holds at most 50 entries, keys of 1 to 100 characters") }
            fields.meta = meta
        }
        fields.active = body.active
        return fields
    }

    private static func isCredential(_ value: String, maximum: Int) -> Bool {
        (1...maximum).contains(value.count) && value.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F }
    }

    private static func isURL(_ text: String, schemes: Set<String>) -> Bool {
        guard text.count <= 2048, let colon = text.firstIndex(of: ":") else { return false }
        let scheme = text[..<colon].lowercased()
        let rest = text[text.index(after: colon)...]
        return schemes.contains(scheme) && rest.count >= 1 && !text.contains(where: \.isWhitespace)
    }
}
