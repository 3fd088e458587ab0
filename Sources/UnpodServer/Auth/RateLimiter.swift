import Foundation
import Synchronization
import UnpodCore

/// Per-key request limit: a token bucket of `limit` requests refilled evenly over `period`.
///
/// Off unless configured (`unpod serve --rate-limit 600/min`): the hosted service documents no
/// limit for the v2 API, and operators size it for their own deployment. When on, it costs one
/// lock and one dictionary update per request.
final class RateLimiter: Sendable {
    struct Rule: Sendable, Equatable {
        var limit: Int
        var period: TimeInterval

        /// `600/min`, `10/s`, `5000/h`, `100000/d`.
        init?(parsing text: String) {
            let parts = text.split(separator: "/")
            guard parts.count == 2, let limit = Int(parts[0]), limit > 0 else { return nil }
            switch parts[1].lowercased() {
            case "s", "sec", "second": period = 1
            case "m", "min", "minute": period = 60
            case "h", "hour": period = 3600
            case "d", "day": period = 86_400
            default: return nil
            }
            self.limit = limit
        }

        init(limit: Int, period: TimeInterval) {
            self.limit = limit
            self.period = period
        }
    }

    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    private let rule: Rule
    private let buckets = Mutex<[Int: Bucket]>([:])

    init(rule: Rule) {
        self.rule = rule
    }

    /// Takes one request from the key's bucket, or throws 429 with the whole seconds to wait.
    func admit(keyRowID: Int, at now: Date) throws {
        let rate = Double(rule.limit) / rule.period
        let wait: Double? = buckets.withLock { buckets in
            var bucket = buckets[keyRowID] ?? Bucket(tokens: Double(rule.limit), updated: now)
            let elapsed = max(0, now.timeIntervalSince(bucket.updated))
            bucket.tokens = min(Double(rule.limit), bucket.tokens + elapsed * rate)
            bucket.updated = now
            defer { buckets[keyRowID] = bucket }
            guard bucket.tokens >= 1 else { return (1 - bucket.tokens) / rate }
            bucket.tokens -= 1
            return nil
        }
        if let wait {
            throw APIError.throttled(seconds: max(1, Int(wait.rounded(.up))))
        }
    }
}
