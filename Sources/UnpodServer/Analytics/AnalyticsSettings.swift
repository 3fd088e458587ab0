/// How the server evaluates analytics blocks after calls (issue 18): tries per evaluation, the
/// backoff between them, how many run at once on a node, and how often an idle node looks for
/// work another node queued (its own calls wake it at once).
public struct AnalyticsSettings: Sendable {
    public var maxAttempts: Int
    /// The wait after the first failed try; it doubles after each next one (with ±20% jitter).
    public var firstBackoff: Duration
    public var concurrency: Int
    public var pollInterval: Duration
    /// How long a claimed evaluation is this node's before another may take it over.
    public var lease: Duration

    public init(
        maxAttempts: Int = 4, firstBackoff: Duration = .seconds(2), concurrency: Int = 8, pollInterval: Duration = .seconds(1),
        lease: Duration = .seconds(120)
    ) {
        self.maxAttempts = maxAttempts
        self.firstBackoff = firstBackoff
        self.concurrency = concurrency
        self.pollInterval = pollInterval
        self.lease = lease
    }
}
