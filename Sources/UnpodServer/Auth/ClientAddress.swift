import Foundation
import NIOCore

/// Who is on the other end of a request: the TCP peer, or, when that peer is a proxy the operator
/// named (`--trusted-proxy`), the nearest address in `X-Forwarded-For` that is not one of theirs.
/// Without trusted proxies the header is ignored: any client could write it.
struct ClientAddressResolver: Sendable {
    let trusted: [IPRange]

    init(trustedProxies: [String]) throws {
        trusted = try trustedProxies.map { text in
            guard let range = IPRange(text) else {
                throw ConfigurationError("trusted proxy \(text): use an IP address or a CIDR range such as 10.0.0.0/8")
            }
            return range
        }
    }

    func address(peer: SocketAddress?, forwardedFor: String?) -> String {
        let peerText = peer?.ipAddress ?? "unknown"
        guard !trusted.isEmpty, let forwardedFor, isTrusted(peerText) else { return peerText }
        let hops = forwardedFor.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() where !isTrusted(hop) {
            return IPRange(hop) != nil ? hop : peerText
        }
        return hops.first.flatMap { IPRange($0) != nil ? $0 : nil } ?? peerText
    }

    /// Whether the request came over TLS: to a trusted proxy that says so in `X-Forwarded-Proto`
    /// (this server speaks plain HTTP itself).
    func cameOverTLS(peer: SocketAddress?, forwardedProto: String?) -> Bool {
        guard let forwardedProto, !trusted.isEmpty, isTrusted(peer?.ipAddress ?? "") else { return false }
        return forwardedProto.split(separator: ",").first?.trimmingCharacters(in: .whitespaces).lowercased() == "https"
    }

    private func isTrusted(_ address: String) -> Bool {
        guard let bytes = IPRange.bytes(of: address) else { return false }
        return trusted.contains { $0.contains(bytes) }
    }
}

/// An IPv4 or IPv6 address with an optional prefix length (`10.0.0.0/8`, `::1`).
struct IPRange: Sendable {
    let network: [UInt8]
    let prefixLength: Int

    init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let bytes = Self.bytes(of: String(parts[0])) else { return nil }
        let length = parts.count == 2 ? Int(parts[1]) : bytes.count * 8
        guard let length, (0...(bytes.count * 8)).contains(length) else { return nil }
        network = bytes
        prefixLength = length
    }

    func contains(_ address: [UInt8]) -> Bool {
        guard address.count == network.count else { return false }
        var remaining = prefixLength
        for index in network.indices where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            guard address[index] & mask == network[index] & mask else { return false }
            remaining -= bits
        }
        return true
    }

    /// 4 or 16 bytes, or nil for anything that is not an IP address.
    static func bytes(of text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}
