import Foundation
import Logging
import ServiceLifecycle
import UnpodCore
import UnpodPersistence

/// Makes the failed-authentication budget one budget for the whole cluster (issue 18, item 5): every
/// `interval`, this node adds the failures it counted to each address's window in the database and
/// takes back the window as all nodes count it.
///
/// The request path never waits for the database: a failure is counted in memory at once (as on a
/// single node), and a made-up token stays a refusal with no query. What the cluster adds is known
/// here from this node's next exchange: an address that spent its budget on other nodes is held back
/// here once it fails here too, at most one `interval` later. A restarted node learns an address's
/// window the same way, so a restart does not hand out a fresh budget.
struct FailedAuthSharing: Service {
    /// The most addresses one exchange carries; the rest wait for the next (a spray over many
    /// addresses, each far from its budget, must not turn into one huge transaction).
    static let maximumBatch = 1_000

    let throttle: FailedAuthThrottle
    let store: SQLStore
    let clock: any WallClock
    let interval: Duration
    let logger: Logger
    let health: BackgroundTaskHealth

    func run() async throws {
        await flushEvery(interval) { await self.exchange() }
    }

    /// Sends this node's new failures and learns the cluster's windows for those addresses.
    func exchange() async {
        let taken = throttle.windows.takeUnshared(maximum: Self.maximumBatch)
        guard !taken.isEmpty else { return health.succeeded() }
        do {
            let shared = try await store.recordFailures(
                Dictionary(uniqueKeysWithValues: taken.map { (Self.sharedKey($0.key), $0.value) }),
                period: throttle.rule.period, at: clock.now())
            throttle.windows.learn(
                Dictionary(uniqueKeysWithValues: taken.keys.compactMap { address in shared[Self.sharedKey(address)].map { (address, $0) } }))
            health.succeeded()
        } catch {
            throttle.windows.giveBack(taken)
            health.failed()
            logger.warning("could not share failed authentications", metadata: ["error": "\(error)"])
        }
    }

    /// The address's row in `failure_windows`, apart from the dashboard's sign-in windows.
    static func sharedKey(_ address: String) -> String { "api address:" + address }
}
