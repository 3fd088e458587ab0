import Foundation

/// When a failed delivery is tried again: Standard Webhooks' schedule after the first, immediate
/// attempt (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h), each ±10% so endpoints that
/// failed together are not all retried at one instant; a `Retry-After` the endpoint sent pushes the
/// retry later (never earlier), up to a day.
public struct WebhookRetrySchedule: Sendable {
    public static let standard = WebhookRetrySchedule(delays: [5, 300, 1800, 7200, 18_000, 36_000, 50_400, 72_000, 86_400])
    public static let maxRetryAfter: TimeInterval = 86_400
    /// An endpoint that failed every attempt this long is disabled.
    public static let failingLimit: TimeInterval = 5 * 86_400

    public let delays: [TimeInterval]

    public init(delays: [TimeInterval]) {
        self.delays = delays
    }

    /// The wait after the `attempt`-th failed try (1-based), or nil when it was the last.
    public func delay(afterAttempt attempt: Int, retryAfter: TimeInterval?, jitter: Double = Double.random(in: 0.9...1.1)) -> TimeInterval? {
        guard attempt >= 1, attempt <= delays.count else { return nil }
        let scheduled = delays[attempt - 1] * jitter
        guard let retryAfter, retryAfter > scheduled else { return scheduled }
        return min(retryAfter, Self.maxRetryAfter)
    }

    /// A `Retry-After` value: seconds, or an HTTP date.
    public static func parseRetryAfter(_ value: String, now: Date) -> TimeInterval? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed) { return seconds >= 0 ? TimeInterval(seconds) : nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return max(date.timeIntervalSince(now), 0)
    }
}
