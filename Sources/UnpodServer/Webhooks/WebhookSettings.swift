import UnpodCore

/// How this node delivers webhooks (issue 18): requests in flight at once, the lease of a claimed
/// delivery (longer than the request's timeout, so a live request is never sent twice), how often
/// an idle node looks for due deliveries, the retry schedule, and how long messages are kept.
public struct WebhookSettings: Sendable {
    public var concurrency: Int
    public var timeout: Duration
    public var lease: Duration
    public var pollInterval: Duration
    public var schedule: WebhookRetrySchedule
    /// Messages older than this are forgotten with their deliveries and attempts (Stripe keeps 30 days).
    public var retention: Duration

    public init(
        concurrency: Int = 64, timeout: Duration = .seconds(15), lease: Duration = .seconds(60), pollInterval: Duration = .milliseconds(200),
        schedule: WebhookRetrySchedule = .standard, retention: Duration = .seconds(30 * 86_400)
    ) {
        self.concurrency = concurrency
        self.timeout = timeout
        self.lease = lease
        self.pollInterval = pollInterval
        self.schedule = schedule
        self.retention = retention
    }
}
