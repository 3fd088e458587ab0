import Synchronization

/// Ids for a call's socket connections, unique in the process: a late close of a replaced socket
/// is told apart from the live one's.
enum SocketConnectionID {
    private static let last = Atomic<Int>(0)

    static func next() -> Int {
        last.add(1, ordering: .relaxed).newValue
    }
}
