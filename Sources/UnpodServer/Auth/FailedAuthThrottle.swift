import Foundation
import Synchronization
import UnpodCore

/// Failed authentications per client address (issue 5, item 4): after `limit` failures in one
/// `period`, the address's further failures get 429, and a token this node has not verified before
/// costs no database query. Keys this node has verified are never held back, from any address.
///
/// Fixed windows per address. Memory is bounded: at most `maximumAddresses` windows, the oldest
/// dropped first when full.
final class FailedAuthThrottle: Sendable {
    private struct Window {
        var start: Date
        var failures: Int
    }

    private struct State {
        var windows: [String: Window] = [:]
        var verified: Set<LookupHash> = []
    }

    let rule: RateLimiter.Rule
    private let maximumAddresses: Int
    private let maximumVerified: Int
    private let state = Mutex(State())

    init(rule: RateLimiter.Rule, maximumAddresses: Int = 100_000, maximumVerified: Int = 100_000) {
        self.rule = rule
        self.maximumAddresses = maximumAddresses
        self.maximumVerified = maximumVerified
    }

    /// Counts a failure; returns the seconds to wait when the address is over its budget.
    func recordFailure(from address: String, at now: Date) -> Int? {
        state.withLock { state in
            var window = state.windows[address] ?? Window(start: now, failures: 0)
            if now.timeIntervalSince(window.start) >= rule.period { window = Window(start: now, failures: 0) }
            window.failures += 1
            if state.windows[address] == nil, state.windows.count >= maximumAddresses {
                prune(&state, at: now)
            }
            state.windows[address] = window
            return window.failures > rule.limit ? secondsLeft(window, at: now) : nil
        }
    }

    /// The seconds to wait when the address is over its budget and the token is not one this node
    /// verified before; nil when the lookup may go ahead.
    func refusal(from address: String, for hash: LookupHash, at now: Date) -> Int? {
        state.withLock { state in
            guard let window = state.windows[address], window.failures >= rule.limit,
                now.timeIntervalSince(window.start) < rule.period, !state.verified.contains(hash)
            else { return nil }
            return secondsLeft(window, at: now)
        }
    }

    /// Remembers a token that the store confirmed, so a throttled address may still look it up.
    func rememberVerified(_ hash: LookupHash) {
        state.withLock { state in
            if state.verified.count >= maximumVerified { state.verified.removeAll(keepingCapacity: true) }
            state.verified.insert(hash)
        }
    }

    private func secondsLeft(_ window: Window, at now: Date) -> Int {
        max(1, Int((rule.period - now.timeIntervalSince(window.start)).rounded(.up)))
    }

    private func prune(_ state: inout State, at now: Date) {
        state.windows = state.windows.filter { now.timeIntervalSince($0.value.start) < rule.period }
        if state.windows.count >= maximumAddresses {
            // All in their window: keep the newer half.
            let kept = state.windows.sorted { $0.value.start > $1.value.start }.prefix(maximumAddresses / 2)
            state.windows = Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.value) })
        }
    }
}
