import Foundation

/// A phone number of an organization (platform-api.md 2.10 and 3.3 NUM-1): the documented fields
/// and the Python client's `state`/`active` (decisions.md section 4).
public struct PhoneNumber: Sendable, Equatable {
    public var id: Int
    public var number: String
    /// The provider's slug.
    public var provider: String
    public var bridgeSlug: String?
    public var trunkId: Int?
    public var agentId: String?
    /// `active` or `inactive`: only active numbers carry calls.
    public var status: String
    /// `ASSIGNED` (on a bridge or trunk, or attached to an agent) or `NOT_ASSIGNED`.
    public var state: String
    public var active: Bool
    public var connectionState: String
    public var createdAt: Date

    public init(
        id: Int, number: String, provider: String, bridgeSlug: String?, trunkId: Int?, agentId: String?, active: Bool,
        connectionState: String, createdAt: Date
    ) {
        self.id = id
        self.number = number
        self.provider = provider
        self.bridgeSlug = bridgeSlug
        self.trunkId = trunkId
        self.agentId = agentId
        self.status = active ? "active" : "inactive"
        self.state = bridgeSlug != nil || trunkId != nil || agentId != nil ? "ASSIGNED" : "NOT_ASSIGNED"
        self.active = active
        self.connectionState = connectionState
        self.createdAt = createdAt
    }

    /// Strict E.164: `+`, a non-zero digit, then up to 14 more digits.
    public static func isE164(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (3...16).contains(bytes.count), bytes[0] == UInt8(ascii: "+"), bytes[1] != UInt8(ascii: "0") else {
            return false
        }
        return bytes.dropFirst().allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }
}
