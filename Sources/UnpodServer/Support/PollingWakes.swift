/// What wakes a background service that works through a queue in the database: this node's own
/// signal (work it just queued) and a poll every `interval` (work other nodes queued, or leases
/// that ran out). ``stop()`` ends both; ``finish()`` ends the stream (at shutdown).
final class PollingWakes: Sendable {
    let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation
    private let signal: DispatchSignal
    private let subscription: UInt64
    private let ticker: Task<Void, Never>

    init(signal: DispatchSignal, interval: Duration) {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.stream = stream
        self.continuation = continuation
        self.signal = signal
        self.subscription = signal.subscribe(continuation)
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
        signal.unsubscribe(subscription)
        ticker.cancel()
    }
}
