import Synchronization

/// How many of a connection's messages are read and not yet answered: the reader adds, the task
/// that answers removes.
final class WaitingCount: Sendable {
    private let count = Atomic<Int>(0)

    /// Counts one more; the new count.
    func add() -> Int { count.wrappingAdd(1, ordering: .relaxed).newValue }

    func remove() { count.wrappingSubtract(1, ordering: .relaxed) }
}
