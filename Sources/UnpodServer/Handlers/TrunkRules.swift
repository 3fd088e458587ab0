import Foundation
import UnpodCore
import UnpodPersistence

/// What a new trunk must be (platform-api.md 3.3): a name, a SIP URI, a transport and port, optional
/// digest credentials, and the carrier's source addresses.
enum TrunkRules {
    static func fields(
        name: String?, sipURL: String?, transport: String?, port: String?, username: String?, password: String?,
        sourceIPs: [String]?
    ) throws -> TrunkFields {
        let name = (name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(name.count) else { throw APIError.invalidParameters("name must be 1 to 100 characters") }
        guard let sipURL, sipURL.count <= 2048, !sipURL.contains(where: \.isWhitespace),
            sipURL.lowercased().hasPrefix("sip:") || sipURL.lowercased().hasPrefix("sips:"), sipURL.count > 5
        else { throw APIError.invalidParameters("sip_url must be a SIP URI such as sip:carrier.example.com") }
        let transport = (transport ?? "tls").lowercased()
        guard ["udp", "tcp", "tls"].contains(transport) else {
            throw APIError.invalidParameters("transport must be udp, tcp or tls")
        }
        let port = port ?? (transport == "tls" ? "5061" : "5060")
        guard port.allSatisfy(\.isASCII), let number = Int(port), (1...65_535).contains(number) else {
            throw APIError.invalidParameters("port must be a number from 1 to 65535")
        }
        if let username, !(1...128).contains(username.count) {
            throw APIError.invalidParameters("auth_username must be 1 to 128 characters")
        }
        if let password, !(1...256).contains(password.count) {
            throw APIError.invalidParameters("auth_password must be 1 to 256 characters")
        }
        let ips = sourceIPs ?? []
        guard ips.count <= 50, ips.allSatisfy({ IPRange($0) != nil }) else {
            throw APIError.invalidParameters("source_ips must be at most 50 IP addresses or CIDR ranges")
        }
        return TrunkFields(
            name: name, sipURL: sipURL, transport: transport, port: String(number), username: username,
            password: password, allowedIPs: ips)
    }
}
