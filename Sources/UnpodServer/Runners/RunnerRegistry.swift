import Foundation
import Synchronization
import UnpodCore

/// The runners connected to this node, per agent: who may take an agent's calls, how many each has
/// been given, and how to reach each one's control socket.
final class RunnerRegistry: Sendable {
    struct Runner: Sendable {
        /// The SDK's `worker_id` (`agent#8hex`, the same across reconnects).
        let workerID: String
        /// This connection; a reconnect under the same `worker_id` is a new one.
        let connectionID: Int
        let orgID: Int
        let agentRowID: Int
        let capacity: Int
        /// Calls this node has given it that have not ended (the server is the capacity gate).
        var assigned: Int = 0
        /// What it said in its last heartbeat.
        var reportedActive: Int = 0
        /// Where it dials its bridges: this node, as the runner reached it.
        let bridgeBase: String
        let send: @Sendable (RunnerServerMessage) -> Void

        var summary: RunnerSummary {
            RunnerSummary(
                connectionID: connectionID, workerID: workerID, agentRowID: agentRowID, capacity: capacity, assigned: assigned,
                bridgeBase: bridgeBase)
        }
    }

    private let runners = Mutex<[Int: Runner]>([:])
    private let nextConnection = Atomic<Int>(1)
    /// Told of every arrival, departure and change of load (the other nodes hear of it).
    private let changed = Mutex<(@Sendable () -> Void)?>(nil)

    /// Adds a runner; its connection id, for removing this connection and no other.
    func add(
        workerID: String, orgID: Int, agentRowID: Int, capacity: Int, bridgeBase: String,
        send: @escaping @Sendable (RunnerServerMessage) -> Void
    ) -> Int {
        let connectionID = nextConnection.add(1, ordering: .relaxed).oldValue
        runners.withLock {
            $0[connectionID] = Runner(
                workerID: workerID, connectionID: connectionID, orgID: orgID, agentRowID: agentRowID, capacity: capacity,
                bridgeBase: bridgeBase, send: send)
        }
        notify()
        return connectionID
    }

    func remove(connectionID: Int) {
        runners.withLock { _ = $0.removeValue(forKey: connectionID) }
        notify()
    }

    func onChange(_ handler: @escaping @Sendable () -> Void) {
        changed.withLock { $0 = handler }
    }

    /// Tells the listener now, as if something changed (a node that just started wants to know).
    func onChangeNow() { notify() }

    private func notify() {
        changed.withLock { $0 }?()
    }

    func reportActiveJobs(_ count: Int, connectionID: Int) {
        runners.withLock { $0[connectionID]?.reportedActive = max(0, count) }
    }

    /// Counts a call given to the runner; false (nothing counted) when it is gone or full.
    @discardableResult
    func assign(connectionID: Int) -> Bool {
        let taken = runners.withLock { runners -> Bool in
            guard let runner = runners[connectionID], runner.assigned < runner.capacity else { return false }
            runners[connectionID]?.assigned += 1
            return true
        }
        if taken { notify() }
        return taken
    }

    func release(connectionID: Int) {
        runners.withLock { runners in
            if let assigned = runners[connectionID]?.assigned { runners[connectionID]?.assigned = max(0, assigned - 1) }
        }
        notify()
    }

    func send(connectionID: Int, _ message: RunnerServerMessage) {
        runners.withLock { $0[connectionID] }?.send(message)
    }

    /// Tells a runner to abandon a job (a dial it has not made, a call that ended before it dialed).
    func cancel(connectionID: Int, jobID: String) {
        runners.withLock { $0[connectionID] }?.send(.jobCancel(jobID: jobID))
    }

    /// The runners of an agent on this node.
    func runners(agentRowID: Int) -> [RunnerSummary] {
        runners.withLock { $0.values.filter { $0.agentRowID == agentRowID }.map(\.summary) }
    }

    /// Every runner on this node, as the other nodes are told of them.
    func summaries() -> [RunnerSummary] {
        runners.withLock { $0.values.map(\.summary) }
    }

    var count: Int { runners.withLock { $0.count } }
}
