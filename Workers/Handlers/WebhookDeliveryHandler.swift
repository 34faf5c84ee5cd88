import Foundation
import ILCCore
import ILCQueue
import ILCStore
import ILCWebhooks

/// `webhook-delivery`: sends one event to one endpoint (the database made the
/// delivery and this job when a job ended, migration 0008). A 2xx answer delivers it;
/// 410 Gone fails it and turns the endpoint off; anything else is tried again on
/// `schedule`, for about three days, then the delivery fails. Every attempt is logged.
struct WebhookDeliveryHandler: JobHandler {
    static let jobType = "webhook-delivery"
    let type = Self.jobType
    let sender: WebhookSender

    /// The wait after attempt 1, 2, …: quick at first for a blip, then hours for an
    /// outage; 14 attempts over about 64 hours. Matches the jobs' max_attempts (0008).
    static let schedule: [Duration] = [
        .seconds(5), .seconds(30), .seconds(120), .seconds(600), .seconds(1_800), .seconds(3_600), .seconds(7_200),
        .seconds(14_400), .seconds(28_800), .seconds(43_200), .seconds(43_200), .seconds(43_200), .seconds(43_200),
    ]
    /// A receiver's Retry-After is honoured up to this.
    static let longestRequestedWait = Duration.seconds(43_200)

    private struct Payload: Decodable {
        var deliveryID: UUID

        enum CodingKeys: String, CodingKey {
            case deliveryID = "delivery_id"
        }
    }

    func run(_ context: JobContext) async throws -> String {
        let deliveryID = try context.decodePayload(Payload.self).deliveryID
        let store = WebhookStore(database: context.database)
        guard let delivery = try await store.toSend(tenantID: context.tenantID, deliveryID: deliveryID) else {
            return Self.result(deliveryID, outcome: "endpoint deleted")
        }
        guard delivery.state == .pending else { return Self.result(deliveryID, outcome: delivery.state.rawValue) }
        guard delivery.endpointEnabled else {
            try await store.abandon(tenantID: context.tenantID, deliveryID: deliveryID, reason: "the endpoint is disabled")
            return Self.result(deliveryID, outcome: "endpoint disabled")
        }

        let attemptNumber = delivery.attempts + 1
        let startedAt = Date()
        let clock = ContinuousClock.now
        var status: Int?
        var excerpt: String?
        var problem: String?
        var requestedWait: Duration?
        switch (WebhookURL.parse(delivery.url), WebhookSecret(delivery.secret)) {
        case (.success(let url), let secret?):
            do {
                let answer = try await sender.send(
                    WebhookMessage(id: delivery.eventID, body: Data(delivery.payload.utf8), secret: secret), to: url)
                status = answer.status
                excerpt = answer.excerpt.isEmpty ? nil : answer.excerpt
                requestedWait = answer.retryAfterSeconds.map { .seconds(max(0, $0)) }
            } catch {
                problem = "\(error)"
            }
        case (.failure(let urlProblem), _):
            problem = "the endpoint's URL \(urlProblem.detail)"
        case (.success, nil):
            problem = "the endpoint's signing secret is not valid"
        }
        let attempt = WebhookAttempt(
            attempt: attemptNumber, startedAt: startedAt, durationMilliseconds: Int(clock.duration(to: .now).milliseconds),
            statusCode: status, error: problem, responseExcerpt: excerpt)

        let lastAttempt = attemptNumber > Self.schedule.count || context.attempt >= context.maxAttempts
        let verdict: WebhookStore.Verdict
        switch status {
        case let code? where (200..<300).contains(code): verdict = .delivered
        case 410: verdict = .gone
        default: verdict = lastAttempt ? .failed : .retry(after: Self.wait(after: attemptNumber, requested: requestedWait))
        }
        try await store.record(tenantID: context.tenantID, deliveryID: deliveryID, attempt: attempt, verdict: verdict)

        let what = status.map { "the receiver answered \($0)" } ?? problem ?? "no answer"
        switch verdict {
        case .delivered:
            return Self.result(deliveryID, outcome: "delivered", status: status)
        case .retry(let wait):
            throw JobFailure(title: "The webhook was not accepted", detail: what, retryAfter: wait)
        case .gone:
            throw JobFailure(title: "The webhook endpoint is gone; it was disabled", detail: what, retryable: false)
        case .failed:
            throw JobFailure(title: "The webhook was not accepted in any attempt", detail: what, retryable: false)
        }
    }

    /// The schedule's wait with ±10 % jitter (receivers recovering from an outage are
    /// not hit by every sender at once), or longer when the receiver asked.
    static func wait(after attempt: Int, requested: Duration?) -> Duration {
        let planned = schedule[min(attempt, schedule.count) - 1]
        let jittered = planned * Double.random(in: 0.9...1.1)
        guard let requested else { return jittered }
        return max(jittered, min(requested, longestRequestedWait))
    }

    static func result(_ deliveryID: UUID, outcome: String, status: Int? = nil) -> String {
        var object: [String: Any] = ["delivery_id": deliveryID.uuidString.lowercased(), "outcome": outcome]
        if let status { object["status"] = status }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
