import Logging
import UnpodCore
import UnpodPersistence

/// How a server node runs. Everything has a production default; tests hand in a clock and shorter intervals.
public struct ServerConfiguration: Sendable {
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

    public init(
        host: String = "127.0.0.1", port: Int = 8000, clock: any WallClock = SystemClock(),
        authEpochPollInterval: Duration = .milliseconds(250), lastUsedFlushInterval: Duration = .seconds(5),
        logLevel: Logger.Level = .info, rateLimit: String? = nil
    ) {
        self.rateLimit = rateLimit
        self.host = host
        self.port = port
        self.clock = clock
        self.authEpochPollInterval = authEpochPollInterval
        self.lastUsedFlushInterval = lastUsedFlushInterval
        self.logLevel = logLevel
    }
}
