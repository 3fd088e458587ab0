import Foundation
import UnpodCore

/// How this server keeps the SDK's runners (`/v1/internal/workers`).
public struct RunnerConfiguration: Sendable {
    /// What `registered` tells runners (the SDK's upstream advertises 10 s).
    public var heartbeatIntervalSeconds: Int
    /// A runner not heard from for this long is gone: its socket is closed and it takes no calls.
    public var silenceLimit: Duration
    /// How long a new socket has to send `register`.
    public var registerTimeout: Duration

    public init(heartbeatIntervalSeconds: Int = RunnerProtocol.heartbeatIntervalSeconds, silenceLimit: Duration = .seconds(30),
        registerTimeout: Duration = .seconds(10)
    ) {
        self.heartbeatIntervalSeconds = heartbeatIntervalSeconds
        self.silenceLimit = silenceLimit
        self.registerTimeout = registerTimeout
    }
}
