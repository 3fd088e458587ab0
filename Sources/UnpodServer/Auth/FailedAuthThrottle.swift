import Foundation
import Synchronization
import UnpodCore

/// Failed authentications per client address (issue 5, item 4): after `limit` failures in one
/// `period`, the address's further failures get 429, and a token this node has not verified before
/// costs no database query. Keys this node has verified are never held back, from any address.
final class FailedAuthThrottle: Sendable {
    /// Counted here at once; ``FailedAuthSharing`` adds the other nodes' counts.
    let windows: FailureWindows
    private let maximumVerified: Int
    private let verified = Mutex<Set<LookupHash>>([])

    var rule: RateLimiter.Rule { windows.rule }

    init(rule: RateLimiter.Rule, maximumAddresses: Int = 100_000, maximumVerified: Int = 100_000) {
        windows = FailureWindows(rule: rule, maximumKeys: maximumAddresses)
        self.maximumVerified = maximumVerified
    }

    /// Counts a failure; returns the seconds to wait when the address is over its budget.
    func recordFailure(from address: String, at now: Date) -> Int? {
        windows.record(address, at: now)
    }

    /// The seconds to wait when the address is over its budget and the token is not one this node
    /// verified before; nil when the lookup may go ahead.
    func refusal(from address: String, for hash: LookupHash, at now: Date) -> Int? {
        guard let wait = windows.wait(address, at: now), !verified.withLock({ $0.contains(hash) }) else { return nil }
        return wait
    }

    /// Remembers a token that the store confirmed, so a throttled address may still look it up.
    func rememberVerified(_ hash: LookupHash) {
        verified.withLock { verified in
            if verified.count >= maximumVerified { verified.removeAll(keepingCapacity: true) }
            verified.insert(hash)
        }
    }
}
