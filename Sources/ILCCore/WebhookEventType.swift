/// The events a webhook endpoint can subscribe to: a job reached a final state.
public enum WebhookEventType: String, Sendable, CaseIterable, Codable {
    case jobSucceeded = "job.succeeded"
    case jobFailed = "job.failed"
    case jobCanceled = "job.canceled"
}
