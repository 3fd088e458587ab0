import UnpodCore

/// How one evaluation ended: stored as the result's final state.
public enum AnalyticsOutcome: Sendable {
    case ok(AnalyticsAnswerSchema.Answer, model: String, latencyMS: Int)
    case skipped(String)
    case failed(String, model: String?, latencyMS: Int?)
}
