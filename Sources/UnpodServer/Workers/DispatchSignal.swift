import Synchronization

/// Wakes this node's idle workers when tasks are created here, so they need not wait for a poll.
final class DispatchSignal: Sendable {
    private let waiters = Mutex<[UInt64: AsyncStream<Void>.Continuation]>([:])
    private let next = Atomic<UInt64>(0)

    /// Yields to `continuation` whenever ``notify()`` is called, until ``unsubscribe(_:)``.
    func subscribe(_ continuation: AsyncStream<Void>.Continuation) -> UInt64 {
        let id = next.wrappingAdd(1, ordering: .relaxed).newValue
        waiters.withLock { $0[id] = continuation }
        return id
    }

    func unsubscribe(_ id: UInt64) {
        _ = waiters.withLock { $0.removeValue(forKey: id) }
    }

    func notify() {
        for continuation in waiters.withLock({ Array($0.values) }) { continuation.yield() }
    }
}
