/// The events a webhook endpoint can subscribe to (issue 18). `call.ended` is thin (ids, status,
/// end reason, duration, turns); the transcript stays behind the API.
public enum WebhookEventType: String, Sendable, Codable, CaseIterable {
    case callStarted = "call.started"
    case callEnded = "call.ended"
    case callAnalyzed = "call.analyzed"
    case taskCompleted = "task.completed"
    case taskFailed = "task.failed"
    case runCompleted = "run.completed"
    case endpointDisabled = "webhook_endpoint.disabled"
}
