/// What wakes a background service that watches the database: this node's own signal (work it just
/// queued), ``wake()`` (a notification from another node, a freed slot), and a poll every
/// `interval` (what nothing announced, or leases that ran out). ``stop()`` ends the signal and the
/// poll; ``finish()`` ends the stream (at shutdown).
final class PollingWakes: Sendable {
    let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation
    private let subscription: (signal: DispatchSignal, id: UInt64)?
    private let ticker: Task<Void, Never>

    init(signal: DispatchSignal? = nil, interval: Duration) {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.stream = stream
        self.continuation = continuation
        self.subscription = signal.map { ($0, $0.subscribe(continuation)) }
        self.ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                continuation.yield()
            }
        }
    }

    /// Wakes the service now (a slot freed, say).
    func wake() { continuation.yield() }

    func finish() { continuation.finish() }

    func stop() {
        if let subscription { subscription.signal.unsubscribe(subscription.id) }
        ticker.cancel()
    }
}
