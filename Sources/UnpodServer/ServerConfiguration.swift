import Foundation
import Logging
import UnpodCore
import UnpodPersistence

/// How a server node runs. Everything has a production default; tests hand in a clock and shorter intervals.
public struct ServerConfiguration: Sendable {
    public static let defaultMaxBodySize = 1 << 20

    public var host: String
    public var port: Int
    public var clock: any WallClock
    /// How often this node checks whether another node changed keys, users or memberships.
    public var authEpochPollInterval: Duration
    /// How often last-used times are written.
    public var lastUsedFlushInterval: Duration
    public var logLevel: Logger.Level
    /// Requests per key, e.g. `600/min`; nil for no limit.
    public var rateLimit: String?
    /// Failed authentications per client address before further failures get 429 without a
    /// database query, e.g. `100/min`; nil to switch the throttle off.
    public var failedAuthLimit: String?
    /// How often this node adds its failed authentications to the count all nodes share, and learns
    /// theirs: how late, at most, an address that spent its budget elsewhere is held back here.
    public var failedAuthShareInterval: Duration = .milliseconds(250)
    /// Addresses (or CIDR ranges) of proxies whose `X-Forwarded-For` names the client.
    public var trustedProxies: [String]
    /// Header size, request deadline and connection cap.
    public var limits: ConnectionLimits
    /// Largest request body, in bytes: more is 413.
    public var maxBodySize: Int
    /// When set, `GET /metrics` needs `Authorization: Bearer <this>`.
    public var metricsToken: String?
    /// The URL clients reach this server at (`https://…`); access-token answers point at its `wss://` form.
    public var publicURL: String?
    /// The longest lifetime `POST /tokens/` grants.
    public var maxAccessTokenTTL: TimeInterval
    /// Rooms on `/rtc`.
    public var realtime: RealtimeConfiguration
    /// Failed dashboard sign-ins per account (the email typed) and per client address before
    /// sign-in answers 429 for the rest of the window, e.g. `10/h`.
    public var signInAccountLimit: String = "10/h"
    public var signInAddressLimit: String = "50/h"
    /// Agent workers on `/agents/worker`: lease length, polling, retries.
    public var workers = WorkerConfiguration()
    /// The SDK's runners on `/v1/internal/workers`: heartbeat interval and silence limit.
    public var runners = RunnerConfiguration()
    /// Live calls: how long a call waits for a runner, how long a runner has to dial.
    public var calls = CallConfiguration()
    /// Whether webhooks and custom tools may reach private, loopback and link-local addresses
    /// (`--webhooks-allow-private`): off, so a tenant cannot aim the server at its own network.
    public var allowPrivateDestinations = false
    /// Webhook delivery: concurrency, timeout, lease, polling, the retry schedule.
    public var webhooks = WebhookSettings()
    /// The environment variables custom tools may read as `{{ env.NAME }}` (`UNPOD_TOOL_ENV`,
    /// comma-separated): none unless the operator names them, so no tool can read the server's secrets.
    public var toolEnvironment: Set<String> = []

    public init(
        host: String = "127.0.0.1", port: Int = 8000, clock: any WallClock = SystemClock(),
        authEpochPollInterval: Duration = .milliseconds(250), lastUsedFlushInterval: Duration = .seconds(5),
        logLevel: Logger.Level = .info, rateLimit: String? = nil, failedAuthLimit: String? = "100/min",
        trustedProxies: [String] = [], limits: ConnectionLimits = ConnectionLimits(),
        maxBodySize: Int = defaultMaxBodySize, metricsToken: String? = nil, publicURL: String? = nil,
        maxAccessTokenTTL: TimeInterval = 86_400, realtime: RealtimeConfiguration = RealtimeConfiguration()
    ) {
        self.realtime = realtime
        self.publicURL = publicURL
        self.maxAccessTokenTTL = maxAccessTokenTTL
        self.rateLimit = rateLimit
        self.host = host
        self.port = port
        self.clock = clock
        self.authEpochPollInterval = authEpochPollInterval
        self.lastUsedFlushInterval = lastUsedFlushInterval
        self.logLevel = logLevel
        self.failedAuthLimit = failedAuthLimit
        self.trustedProxies = trustedProxies
        self.limits = limits
        self.maxBodySize = maxBodySize
        self.metricsToken = metricsToken
    }
}
