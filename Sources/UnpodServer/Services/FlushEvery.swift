import ServiceLifecycle

/// The loop of a service that writes what it collected in batches: `flush` every `interval` until
/// the server shuts down gracefully, then once more, so nothing collected is lost to the stop.
/// The sleep is cancelled at once on shutdown; the last flush runs after it.
func flushEvery(_ interval: Duration, _ flush: @escaping @Sendable () async -> Void) async {
    await cancelWhenGracefulShutdown {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            guard !Task.isCancelled else { break }
            await flush()
        }
    }
    await flush()
}
