import Foundation

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
    /// `byo` (a carrier of the organization's own, reached at `sipUrl`) or `livekit` (a
    /// provider's trunk, named by `providerTrunkID`); the management plane shows both.
    public var kind: String = "byo"
    public var providerTrunkID: String?
    /// The carrier's name, for a `byo` trunk made on the management plane.
    public var provider: String?

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
