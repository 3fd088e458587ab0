import Foundation
import Synchronization
import UnpodPersistence

/// How agent workers are given tasks on this node.
public struct WorkerConfiguration: Sendable {
    /// How long a worker holds a task without a heartbeat before it goes back to the queue.
    public var leaseDuration: TimeInterval
    /// How often workers are told to heartbeat (a third of the lease by default).
    public var heartbeatInterval: TimeInterval
    /// How often an idle worker's agents are checked for due tasks (tasks created on this node
    /// wake it at once; other nodes' and scheduled ones are found by this poll).
    public var pollInterval: Duration
    public var retry: RetryPolicy

    public init(
        leaseDuration: TimeInterval = 30, heartbeatInterval: TimeInterval? = nil, pollInterval: Duration = .milliseconds(250),
        retry: RetryPolicy = RetryPolicy()
    ) {
        self.leaseDuration = leaseDuration
        self.heartbeatInterval = heartbeatInterval ?? leaseDuration / 3
        self.pollInterval = pollInterval
        self.retry = retry
    }
}
