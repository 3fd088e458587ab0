import Foundation

/// How this node carries live calls.
public struct CallConfiguration: Sendable {
    /// How long a call waits for a runner of its agent to take it before it ends `notConnected`.
    public var queueTimeout: Duration
    /// How long an accepted job has to dial its bridge.
    public var dialTimeout: Duration
    /// How long a caller token may be used to connect after the call was made.
    public var callerTokenLifetime: TimeInterval
    /// How long a hangup waits for the runner to finish a streamed reply before closing its bridge
    /// (closing mid-stream makes the SDK redial).
    public var replyGrace: Duration
    /// The longest a call may last once connected; the server then ends it (an agent's own
    /// `max_call_duration_s` comes with the speech plane's agents).
    public var maxCallDuration: Duration
    /// The operator's model, for agents with a `prompt` brain.
    public var languageModel = LanguageModelConfiguration()
    /// How analytics blocks are evaluated after calls, with the same model.
    public var analytics = AnalyticsSettings()
    /// How server-run brains call custom tools (set from the server's configuration).
    var toolCaller = CustomToolCaller(allowPrivate: false, environment: [])

    public init(
        queueTimeout: Duration = .seconds(30), dialTimeout: Duration = .seconds(10), callerTokenLifetime: TimeInterval = 600,
        replyGrace: Duration = .seconds(2), maxCallDuration: Duration = .seconds(3600)
    ) {
        self.maxCallDuration = maxCallDuration
        self.queueTimeout = queueTimeout
        self.dialTimeout = dialTimeout
        self.callerTokenLifetime = callerTokenLifetime
        self.replyGrace = replyGrace
    }
}
