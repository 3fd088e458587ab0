import Foundation
import NIOPosix

/// Where the server must not send a request on a tenant's behalf (webhooks, custom tools):
/// loopback, private, link-local, carrier-grade NAT, multicast and reserved addresses, and
/// `localhost` names. An operator who runs receivers on the same network allows them
/// (`--webhooks-allow-private`, which the tests use).
enum PrivateDestinations {
    static let ranges: [IPRange] = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4", "::/128", "::1/128", "fc00::/7", "fe80::/10",
        "ff00::/8", "64:ff9b::/96",
    ].compactMap(IPRange.init)

    /// An address (4 or 16 bytes) in a private or reserved range; an IPv4-mapped IPv6 address is
    /// judged by its IPv4 part.
    static func isPrivate(_ address: [UInt8]) -> Bool {
        if address.count == 16, address[0..<10].allSatisfy({ $0 == 0 }), address[10] == 0xFF, address[11] == 0xFF {
            return isPrivate(Array(address[12...]))
        }
        return ranges.contains { $0.contains(address) }
    }

    /// A URL's host, judged without resolving it: an address literal in a private range, or a
    /// `localhost` name. Names are judged again after resolution where a request is made.
    static func isPrivateHost(_ host: String) -> Bool {
        let trimmed = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let lower = trimmed.lowercased()
        if lower == "localhost" || lower.hasSuffix(".localhost") || lower.hasSuffix(".local") { return true }
        guard let bytes = IPRange.bytes(of: trimmed) else { return false }
        return isPrivate(bytes)
    }

    /// Whether any address the host resolves to is private (or it does not resolve).
    /// `getaddrinfo` blocks for as long as DNS takes, so it runs on NIO's thread pool, never on
    /// one of the few threads every task shares (a detached task would still hold one).
    static func resolvesPrivately(_ host: String) async -> Bool {
        if isPrivateHost(host) { return true }
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        if IPRange.bytes(of: bare) != nil { return false }
        return (try? await NIOThreadPool.singleton.runIfActive {
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var list: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(bare, nil, &hints, &list) == 0, let first = list else { return true }
            defer { freeaddrinfo(list) }
            var cursor: UnsafeMutablePointer<addrinfo>? = first
            while let entry = cursor {
                if let address = entry.pointee.ai_addr {
                    var bytes: [UInt8] = []
                    if entry.pointee.ai_family == AF_INET {
                        bytes = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                            withUnsafeBytes(of: pointer.pointee.sin_addr) { Array($0) }
                        }
                    } else if entry.pointee.ai_family == AF_INET6 {
                        bytes = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                            withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) }
                        }
                    }
                    if !bytes.isEmpty, isPrivate(bytes) { return true }
                }
                cursor = entry.pointee.ai_next
            }
            return false
        }) ?? true
    }
}
