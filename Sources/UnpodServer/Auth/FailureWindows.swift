import Foundation
import Synchronization

/// Failures counted per key (a client address, an account) in fixed windows of `rule.period`:
/// over `rule.limit` in one window, the key is held back until the window ends.
///
/// The count can be shared with other nodes (``FailedAuthSharing``): each window remembers how many
/// of its failures no other node has heard of yet; ``takeUnshared(maximum:)`` hands them out and
/// ``learn(_:)`` replaces the window with the cluster's count plus what came in meanwhile.
///
/// Memory is bounded: at most `maximumKeys` windows, expired ones dropped first when full, then the
/// older half.
final class FailureWindows: Sendable {
    private struct Window {
        var start: Date
        var failures: Int
        /// Failures counted here and not yet added to the shared count.
        var unshared = 0
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
            window.unshared += 1
            if windows[key] == nil, windows.count >= maximumKeys { prune(&windows, at: now) }
            windows[key] = window
            return window.failures > rule.limit ? secondsLeft(window.start, at: now) : nil
        }
    }

    /// The seconds to wait when the key has used its budget in the current window, else nil.
    func wait(_ key: String, at now: Date) -> Int? {
        windows.withLock { windows in
            guard let window = windows[key], window.failures >= rule.limit, now.timeIntervalSince(window.start) < rule.period
            else { return nil }
            return secondsLeft(window.start, at: now)
        }
    }

    /// The failures no other node has heard of, at most `maximum` keys (the most failing first), now
    /// counted as shared; give them back with ``giveBack(_:)`` when they could not be shared.
    func takeUnshared(maximum: Int) -> [String: Int] {
        windows.withLock { windows in
            var waiting: [(key: String, count: Int)] = windows.compactMap { $0.value.unshared > 0 ? ($0.key, $0.value.unshared) : nil }
            if waiting.count > maximum {
                waiting.sort { $0.count > $1.count }
                waiting.removeLast(waiting.count - maximum)
            }
            for (key, _) in waiting { windows[key]?.unshared = 0 }
            return Dictionary(uniqueKeysWithValues: waiting.map { ($0.key, $0.count) })
        }
    }

    /// Failures taken by ``takeUnshared(maximum:)`` that no other node heard of after all.
    func giveBack(_ taken: [String: Int]) {
        windows.withLock { windows in
            for (key, count) in taken { windows[key]?.unshared += count }
        }
    }

    /// The cluster's windows for keys whose failures were shared: each becomes the shared count plus
    /// the failures counted here since they were taken.
    func learn(_ shared: [String: (failures: Int, start: Date)]) {
        windows.withLock { windows in
            for (key, window) in shared {
                let since = windows[key]?.unshared ?? 0
                if windows[key] == nil, windows.count >= maximumKeys { continue }
                windows[key] = Window(start: window.start, failures: window.failures + since, unshared: since)
            }
        }
    }

    private func secondsLeft(_ start: Date, at now: Date) -> Int {
        max(1, Int((rule.period - now.timeIntervalSince(start)).rounded(.up)))
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
