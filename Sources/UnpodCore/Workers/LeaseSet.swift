import Synchronization

/// The leases one worker connection holds and has not answered yet: the server counts them
/// against the worker's capacity; a worker heartbeats them.
public final class LeaseSet: Sendable {
    private let leases = Mutex<Set<String>>([])

    public init() {}

    public var count: Int { leases.withLock { $0.count } }
    public var all: [String] { leases.withLock { Array($0) } }
    public func insert(_ lease: String) { leases.withLock { _ = $0.insert(lease) } }
    public func remove(_ lease: String) { leases.withLock { _ = $0.remove(lease) } }
    public func contains(_ lease: String) -> Bool { leases.withLock { $0.contains(lease) } }
}
