import Foundation
import Synchronization

/// Failures counted per key (a client address, an account) in fixed windows of `rule.period`:
/// over `rule.limit` in one window, the key is held back until the window ends.
///
/// Memory is bounded: at most `maximumKeys` windows, expired ones dropped first when full, then the
/// older half.
final class FailureWindows: Sendable {
    private struct Window {
        var start: Date
        var failures: Int
    }

    let rule: RateLimiter.Rule
    private let maximumKeys: Int
    private let windows = Mutex<[String: Window]>([:])

    init(rule: RateLimiter.Rule, maximumKeys: Int = 100_000) {
        self.rule = rule
        self.maximumKeys = maximumKeys
    }

    /// Counts a failure; returns the seconds to wait when the key is now over its budget.
    func record(_ key: String, at now: Date) -> Int? {
        windows.withLock { windows in
            var window = windows[key] ?? Window(start: now, failures: 0)
            if now.timeIntervalSince(window.start) >= rule.period { window = Window(start: now, failures: 0) }
            window.failures += 1
            if windows[key] == nil, windows.count >= maximumKeys { prune(&windows, at: now) }
            windows[key] = window
            return window.failures > rule.limit ? secondsLeft(window, at: now) : nil
        }
    }

    /// The seconds to wait when the key has used its budget in the current window, else nil.
    func wait(_ key: String, at now: Date) -> Int? {
        windows.withLock { windows in
            guard let window = windows[key], window.failures >= rule.limit, now.timeIntervalSince(window.start) < rule.period
            else { return nil }
            return secondsLeft(window, at: now)
        }
    }

    private func secondsLeft(_ window: Window, at now: Date) -> Int {
        max(1, Int((rule.period - now.timeIntervalSince(window.start)).rounded(.up)))
    }

    private func prune(_ windows: inout [String: Window], at now: Date) {
        windows = windows.filter { now.timeIntervalSince($0.value.start) < rule.period }
        if windows.count >= maximumKeys {
            // All in their window: keep the newer half.
            let kept = windows.sorted { $0.value.start > $1.value.start }.prefix(maximumKeys / 2)
            windows = Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.value) })
        }
    }
}
