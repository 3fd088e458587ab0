import Foundation
import Logging
import Testing
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

@testable import UnpodServer

/// The failed-authentication budget shared by the nodes of a cluster (issue 18, item 5): two nodes'
/// throttles on one database, exchanging their counts as their background service does.
@Suite struct FailedAuthSharingTests {
    static let address = "203.0.113.9"

    /// A node's throttle (10 failures a minute) and the service that shares its counts.
    struct Node {
        let throttle = FailedAuthThrottle(rule: RateLimiter.Rule(limit: 10, period: 60))
        let sharing: FailedAuthSharing
        let metrics = ServerMetrics()

        init(_ store: SQLStore) {
            sharing = FailedAuthSharing(
                throttle: throttle, store: store, clock: SystemClock(), interval: .seconds(60),
                logger: Logger(label: "test"), health: BackgroundTaskHealth(task: "failed_auth_sharing", metrics: metrics))
        }

        /// What `/metrics` would say about the service.
        var exposition: String {
            var bytes: [UInt8] = []
            metrics.registry.emit(into: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }

        /// Counts `count` failures from the address; whether the last was answered 429.
        @discardableResult
        func fail(_ count: Int) -> Bool {
            (0..<count).map { _ in throttle.recordFailure(from: FailedAuthSharingTests.address, at: Date()) }.last! != nil
        }

        /// Whether an unknown token from the address is held back before any lookup.
        var holdsBack: Bool { throttle.refusal(from: FailedAuthSharingTests.address, for: Data(count: 32).withUnsafeBytes { LookupHash(bytes: $0) }, at: Date()) != nil }
    }

    @Test(arguments: TestDatabase.all)
    func failuresOnEveryNodeSpendOneBudget(_ engine: TestDatabase) async throws {
        try await withTestStore(engine) { store, _ in
            let first = Node(store)
            let second = Node(store)
            // Seven failures on each node: each alone is within its ten, together they are not.
            #expect(!first.fail(7) && !second.fail(7))
            await first.sharing.exchange()
            await second.sharing.exchange()
            let window = try #require(try await store.failureWindow(FailedAuthSharing.sharedKey(Self.address)))
            #expect(window.failures == 14)
            // The second node exchanged last and knows all fourteen: the address is held back there.
            #expect(second.holdsBack)
            #expect(second.fail(1), "the fifteenth failure is answered 429")
            // The first learns the others' failures from its next exchange, which its next failure starts.
            #expect(!first.holdsBack && !first.fail(1), "the first node still knows only its own eight")
            await first.sharing.exchange()
            #expect(first.holdsBack)
            #expect(first.fail(1))

            // A node started afresh (a restart) gets no new budget: it learns the window from its first failure.
            let restarted = Node(store)
            #expect(!restarted.fail(1))
            await restarted.sharing.exchange()
            #expect(restarted.holdsBack)
            // Fourteen, the first node's eighth, the restarted node's first; two more wait for their nodes' next exchange.
            #expect(try await store.failureWindow(FailedAuthSharing.sharedKey(Self.address))?.failures == 16)
            await first.sharing.exchange()
            await second.sharing.exchange()
            #expect(try await store.failureWindow(FailedAuthSharing.sharedKey(Self.address))?.failures == 18)
            // The sign-in windows of the dashboard are kept apart: the same address has its own row there.
            #expect(try await store.failureWindow("sign-in address:" + Self.address) == nil)
        }
    }

    @Test func failuresThatCouldNotBeSharedAreKeptForTheNextExchange() async throws {
        let instance = try await TestDatabaseInstance.make(.sqlite)
        let store = try await instance.openStore()
        let node = Node(store)
        node.fail(3)
        await store.shutdown()
        await node.sharing.exchange()
        #expect(node.exposition.contains(#"unpod_background_task_failures_total{task="failed_auth_sharing"} 1"#))
        #expect(node.throttle.windows.takeUnshared(maximum: 10) == [Self.address: 3], "given back after the failed exchange")
        await instance.remove()
    }

    @Test func oneExchangeCarriesTheMostFailingAddressesAndLeavesTheRest() {
        let windows = FailureWindows(rule: RateLimiter.Rule(limit: 10, period: 60))
        let now = Date()
        for (address, count) in [("a", 1), ("b", 5), ("c", 3)] {
            for _ in 0..<count { _ = windows.record(address, at: now) }
        }
        #expect(windows.takeUnshared(maximum: 2) == ["b": 5, "c": 3])
        #expect(windows.takeUnshared(maximum: 2) == ["a": 1])
        #expect(windows.takeUnshared(maximum: 2).isEmpty)
        // Learning the cluster's count keeps the failures counted here since the exchange began.
        _ = windows.record("b", at: now)
        windows.learn(["b": (failures: 9, start: now)])
        #expect(windows.wait("b", at: now) != nil, "nine shared and one since: the budget of ten is spent")
        #expect(windows.takeUnshared(maximum: 2) == ["b": 1])
    }
}
