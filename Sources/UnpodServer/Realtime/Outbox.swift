import Synchronization

/// One participant's outgoing frames, in order. Bounded: a participant more than `limit` frames
/// behind is dropped (`onOverflow`), so a slow reader never grows the server's memory; nothing
/// already queued is kept for it.
final class Outbox: Sendable {
    enum Frame: Sendable {
        case text(String)
        case close(RealtimeClose)
    }

    let frames: AsyncStream<Frame>
    private let continuation: AsyncStream<Frame>.Continuation
    private let pending = Atomic<Int>(0)
    private let overflowed = Atomic<Bool>(false)
    private let limit: Int
    private let onOverflow: @Sendable () -> Void

    init(limit: Int, onOverflow: @escaping @Sendable () -> Void) {
        (frames, continuation) = AsyncStream.makeStream(of: Frame.self)
        self.limit = limit
        self.onOverflow = onOverflow
    }

    var isOverflowed: Bool { overflowed.load(ordering: .relaxed) }

    func send(_ text: String) {
        guard !isOverflowed else { return }
        if pending.wrappingAdd(1, ordering: .relaxed).newValue > limit {
            overflowed.store(true, ordering: .relaxed)
            continuation.finish()
            onOverflow()
            return
        }
        continuation.yield(.text(text))
    }

    /// The writer wrote one frame.
    func delivered() {
        pending.wrappingSubtract(1, ordering: .relaxed)
    }

    /// Closes the connection after what is queued, with `reason`.
    func close(_ reason: RealtimeClose) {
        continuation.yield(.close(reason))
        continuation.finish()
    }
}
