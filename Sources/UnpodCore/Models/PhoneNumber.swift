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

/// TRK: a customer's own SIP carrier trunk (platform-api.md 3.3). `port` and `allowed_ips` are
/// strings, as the Python client's model reads them; the password is masked on every read.
public struct Trunk: Sendable, Equatable {
    public var id: Int
    public var name: String
    public var sipUrl: String
    public var transport: String
    public var port: String
    public var authUsername: String?
    public var authPassword: String?
    /// Comma-separated addresses or CIDR ranges.
    public var allowedIps: String
    public var active: Bool
    public var numbers: [String]
    public var createdAt: Date

    public init(
        id: Int, name: String, sipUrl: String, transport: String, port: String, authUsername: String?,
        authPassword: String?, allowedIps: String, active: Bool, numbers: [String], createdAt: Date
    ) {
        self.id = id
        self.name = name
        self.sipUrl = sipUrl
        self.transport = transport
        self.port = port
        self.authUsername = authUsername
        self.authPassword = authPassword
        self.allowedIps = allowedIps
        self.active = active
        self.numbers = numbers
        self.createdAt = createdAt
    }
}

/// One number's outcome in an attach or detach (the Python client's `NumberResult`): `number_id`
/// is always an integer, 0 when the number is unknown (decisions.md section 4).
public struct NumberResult: Sendable, Equatable {
    public var numberId: Int
    public var number: String?
    public var connectionState: String?
    public var agentId: String?
    public var ok: Bool
    public var error: String?

    public init(numberId: Int, number: String?, connectionState: String?, agentId: String? = nil, ok: Bool, error: String?) {
        self.numberId = numberId
        self.number = number
        self.connectionState = connectionState
        self.agentId = agentId
        self.ok = ok
        self.error = error
    }
}

/// NUM-4: one number in the telephony overview.
public struct NumberOverview: Sendable, Equatable {
    public var number: String
    public var numberId: Int
    public var bridgeSlug: String?
    public var connectionState: String
    /// `agent`, `pipeline`, `sip` (on a trunk), or null when the number ends nowhere yet.
    public var terminationKind: String?
    public var agentId: String?
    public var provider: String
    /// `in_sync`: with no downstream media server to drift from, what is stored is what serves.
    public var syncState: String
    public var inSync: Bool

    public init(
        number: String, numberId: Int, bridgeSlug: String?, connectionState: String, terminationKind: String?,
        agentId: String?, provider: String
    ) {
        self.number = number
        self.numberId = numberId
        self.bridgeSlug = bridgeSlug
        self.connectionState = connectionState
        self.terminationKind = terminationKind
        self.agentId = agentId
        self.provider = provider
        self.syncState = "in_sync"
        self.inSync = true
    }
}
