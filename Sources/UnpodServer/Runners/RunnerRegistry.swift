import Foundation
import Synchronization

/// The runners connected to this node, per agent: who may take an agent's calls and how many more
/// each may take. (Dispatching calls to them is the live-calls issue's next step.)
final class RunnerRegistry: Sendable {
    struct Runner: Sendable, Equatable {
        /// The SDK's `worker_id` (`agent#8hex`, the same across reconnects).
        let workerID: String
        /// This connection; a reconnect under the same `worker_id` is a new one.
        let connectionID: Int
        let orgID: Int
        let agentRowID: Int
        let capacity: Int
        var activeJobs: Int = 0
    }

    private let runners = Mutex<[Int: Runner]>([:])
    private let nextConnection = Atomic<Int>(1)

    /// Adds a runner; its connection id, for removing this connection and no other.
    func add(workerID: String, orgID: Int, agentRowID: Int, capacity: Int) -> Int {
        let connectionID = nextConnection.add(1, ordering: .relaxed).oldValue
        runners.withLock {
            $0[connectionID] = Runner(
                workerID: workerID, connectionID: connectionID, orgID: orgID, agentRowID: agentRowID, capacity: capacity)
        }
        return connectionID
    }

    func remove(connectionID: Int) {
        runners.withLock { _ = $0.removeValue(forKey: connectionID) }
    }

    /// What the runner said it is doing in its last heartbeat.
    func reportActiveJobs(_ count: Int, connectionID: Int) {
        runners.withLock { $0[connectionID]?.activeJobs = max(0, count) }
    }

    /// The runners of an agent on this node.
    func runners(agentRowID: Int) -> [Runner] {
        runners.withLock { $0.values.filter { $0.agentRowID == agentRowID } }
    }

    var count: Int { runners.withLock { $0.count } }
}
