import Synchronization

/// How many requests a background service has in flight, shared with the tasks that finish them.
final class InFlightCount: Sendable {
    private let count = Atomic<Int>(0)

    var value: Int { count.load(ordering: .relaxed) }

    func add(_ started: Int) { count.add(started, ordering: .relaxed) }

    func finished() { count.subtract(1, ordering: .relaxed) }
}
