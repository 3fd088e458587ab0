import Foundation
import Logging
import ServiceLifecycle
import UnpodCore
import UnpodPersistence

/// Delivers the webhook outbox from this node (issue 18): woken when a call ends here, and
/// polling for what any node's changes queued (or a stopped node left behind: its leases run out).
/// Every claimed delivery ends recorded: delivered, queued for its next try, failed for good, or
/// held with its endpoint disabled.
struct WebhookDispatcher: Service {
    let store: SQLStore
    let sender: WebhookSender
    let settings: WebhookSettings
    let wake: DispatchSignal
    let logger: Logger
    let health: BackgroundTaskHealth

    func run() async throws {
        let wakes = PollingWakes(signal: wake, interval: settings.pollInterval)
        defer { wakes.stop() }
        let inFlight = InFlightCount()
        await withTaskCancellationOrGracefulShutdownHandler {
            // One group for the node's life: a slow endpoint holds one slot, never the others.
            await withDiscardingTaskGroup { group in
                var iterator = wakes.stream.makeAsyncIterator()
                var pruned = ContinuousClock.now - .seconds(3600)
                while await iterator.next() != nil, !Task.isCancelled {
                    await fill(&group, inFlight: inFlight, onFinish: { wakes.wake() })
                    if ContinuousClock.now - pruned >= .seconds(3600) {
                        pruned = .now
                        do {
                            try await store.pruneWebhooks(olderThan: settings.retention.seconds)
                        } catch {
                            logger.error("could not prune old webhook messages", metadata: ["error": "\(error)"])
                        }
                    }
                }
            }
        } onCancelOrGracefulShutdown: {
            wakes.finish()
        }
    }

    /// Claims due deliveries into the free slots until nothing more is due or no slot is free; a
    /// finished delivery frees its slot and wakes the loop.
    private func fill(_ group: inout DiscardingTaskGroup, inFlight: InFlightCount, onFinish: @escaping @Sendable () -> Void) async {
        while !Task.isCancelled {
            let free = settings.concurrency - inFlight.value
            guard free > 0 else { return }
            let claimed: [WebhookDispatch]
            do {
                claimed = try await store.claimWebhooks(limit: free, lease: settings.lease.seconds)
                health.succeeded()
            } catch {
                health.failed()
                logger.error("could not claim webhook deliveries", metadata: ["error": "\(error)"])
                return
            }
            guard !claimed.isEmpty else { return }
            inFlight.add(claimed.count)
            for dispatch in claimed {
                group.addTask {
                    await deliver(dispatch)
                    inFlight.finished()
                    onFinish()
                }
            }
        }
    }

    private func deliver(_ dispatch: WebhookDispatch) async {
        let result = await sender.send(dispatch)
        do {
            try await store.finishWebhook(dispatch, result)
        } catch {
            // The lease runs out and another pass sends it again (the same webhook-id).
            logger.error(
                "could not record a webhook attempt",
                metadata: ["message_id": "\(dispatch.messageID)", "endpoint_id": "\(dispatch.endpointID)", "error": "\(error)"])
        }
    }
}

/// The service lifecycle logs each service's description at start: a name, never the settings.
extension WebhookDispatcher: CustomStringConvertible {
    var description: String { "WebhookDispatcher" }
}
