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
        let send: @Sendable (RunnerServerMessage) -> Void
    }

    private let runners = Mutex<[Int: Runner]>([:])
    private let nextConnection = Atomic<Int>(1)

    /// Adds a runner; its connection id, for removing this connection and no other.
    func add(
        workerID: String, orgID: Int, agentRowID: Int, capacity: Int, send: @escaping @Sendable (RunnerServerMessage) -> Void
    ) -> Int {
        let connectionID = nextConnection.add(1, ordering: .relaxed).oldValue
        runners.withLock {
            $0[connectionID] = Runner(
                workerID: workerID, connectionID: connectionID, orgID: orgID, agentRowID: agentRowID, capacity: capacity,
                send: send)
        }
        return connectionID
    }

    func remove(connectionID: Int) {
        runners.withLock { _ = $0.removeValue(forKey: connectionID) }
    }

    func reportActiveJobs(_ count: Int, connectionID: Int) {
        runners.withLock { $0[connectionID]?.reportedActive = max(0, count) }
    }

    func assign(connectionID: Int) {
        runners.withLock { $0[connectionID]?.assigned += 1 }
    }

    func release(connectionID: Int) {
        runners.withLock { runners in
            if let assigned = runners[connectionID]?.assigned { runners[connectionID]?.assigned = max(0, assigned - 1) }
        }
    }

    /// Tells a runner to abandon a job (a dial it has not made, a call that ended before it dialed).
    func cancel(connectionID: Int, jobID: String) {
        runners.withLock { $0[connectionID] }?.send(.jobCancel(jobID: jobID))
    }

    /// The runners of an agent on this node.
    func runners(agentRowID: Int) -> [Runner] {
        runners.withLock { $0.values.filter { $0.agentRowID == agentRowID } }
    }

    var count: Int { runners.withLock { $0.count } }
}
