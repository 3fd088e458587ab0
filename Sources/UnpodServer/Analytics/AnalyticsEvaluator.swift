import Foundation
import Logging
import ServiceLifecycle
import UnpodCore
import UnpodPersistence

/// Evaluates queued analytics (issue 18) on this node: woken when a call ends here, and polling
/// for entries other nodes queued or a stopped node left. Each entry asks the operator's model
/// once; a failure or an answer outside the block's schema is tried again after a backoff (the
/// entry goes back to the queue, so a restart keeps it), and after the last try it is `failed`.
struct AnalyticsEvaluator: Service {
    let store: SQLStore
    let model: LanguageModelConfiguration
    let settings: AnalyticsSettings
    let wake: DispatchSignal
    let logger: Logger
    let health: BackgroundTaskHealth

    func run() async throws {
        let wakes = PollingWakes(signal: wake, interval: settings.pollInterval)
        defer { wakes.stop() }
        await withTaskCancellationOrGracefulShutdownHandler {
            var iterator = wakes.stream.makeAsyncIterator()
            while await iterator.next() != nil, !Task.isCancelled {
                await drain()
            }
        } onCancelOrGracefulShutdown: {
            wakes.finish()
        }
    }

    /// Claims and evaluates until nothing is due, keeping at most `concurrency` in flight.
    private func drain() async {
        while !Task.isCancelled {
            let claimed: [AnalyticsEvaluation]
            do {
                claimed = try await store.claimAnalytics(limit: settings.concurrency, lease: settings.lease.seconds)
                health.succeeded()
            } catch {
                health.failed()
                logger.error("could not claim analytics to evaluate", metadata: ["error": "\(error)"])
                return
            }
            guard !claimed.isEmpty else { return }
            await withDiscardingTaskGroup { batch in
                for evaluation in claimed { batch.addTask { await evaluate(evaluation) } }
            }
        }
    }

    func evaluate(_ evaluation: AnalyticsEvaluation) async {
        let outcome = await attempt(evaluation)
        do {
            switch outcome {
            case .done(let result):
                try await store.finishAnalytics(evaluation, result)
            case .retry(let reason):
                if evaluation.attempt >= settings.maxAttempts {
                    try await store.finishAnalytics(evaluation, .failed("\(reason) (after \(evaluation.attempt) tries)", model: nil, latencyMS: nil))
                } else {
                    try await store.retryAnalytics(evaluation, after: backoff(after: evaluation.attempt), reason: reason)
                }
            }
        } catch {
            // The lease runs out and another pass takes the entry again.
            logger.error("could not store an analytics result", metadata: ["result_id": "\(evaluation.resultID)", "error": "\(error)"])
        }
    }

    enum Attempt {
        case done(AnalyticsOutcome)
        case retry(String)
    }

    private func attempt(_ evaluation: AnalyticsEvaluation) async -> Attempt {
        let block = evaluation.definition
        guard evaluation.transcript.contains(where: { !$0.content.isEmpty }) else { return .done(.skipped("the call has no transcript")) }
        let userTurns = evaluation.transcript.filter { $0.role == .user }.count
        if let reason = block.skipReason(userTurns: userTurns, status: evaluation.callStatus, direction: evaluation.direction) {
            return .done(.skipped(reason))
        }
        guard let url = model.url else {
            return .done(.failed("the server has no --llm-url to evaluate analytics with", model: nil, latencyMS: nil))
        }
        let modelName = block.model ?? model.model
        let request = StructuredAnswerRequest(baseURL: url, model: modelName, apiKey: model.apiKey, timeout: model.timeout)
        let schema = AnalyticsAnswerSchema(block)
        let started = ContinuousClock.now
        do {
            let answer = try await request.answer(
                system: AnalyticsPrompt.system(block), user: AnalyticsPrompt.transcript(evaluation.transcript), schema: schema.schema)
            let milliseconds = Int((ContinuousClock.now - started).milliseconds)
            do {
                return .done(.ok(try schema.validate(answer), model: modelName, latencyMS: milliseconds))
            } catch {
                return .retry("the model's answer does not match the block: \(error)")
            }
        } catch {
            return .retry("\(error)")
        }
    }

    /// `firstBackoff` doubled per earlier try, ±20%.
    func backoff(after attempt: Int) -> TimeInterval {
        let base = settings.firstBackoff.seconds * Double(1 << min(max(attempt - 1, 0), 10))
        return base * Double.random(in: 0.8...1.2)
    }
}

/// The service lifecycle logs each service's description at start: a name, never the settings.
extension AnalyticsEvaluator: CustomStringConvertible {
    var description: String { "AnalyticsEvaluator" }
}
