import Foundation

/// One event on its way to one endpoint, with every attempt so far: the delivery log.
public struct WebhookDelivery: Sendable, Equatable {
    public enum State: String, Sendable {
        /// Not sent yet, or waiting for its next attempt.
        case pending
        case delivered
        /// Out of attempts, or the endpoint answered 410 Gone.
        case failed
    }

    public let id: UUID
    public let endpointID: UUID
    public let eventID: String
    public let eventType: String
    public let state: State
    public let attempts: Int
    public let nextAttemptAt: Date?
    public let lastStatus: Int?
    public let lastError: String?
    /// The `webhook-delivery` job that sends it.
    public let jobID: UUID?
    public let createdAt: Date
    public let deliveredAt: Date?
    /// The signed body, exactly as sent (JSON text).
    public let payload: String
    public var attemptLog: [WebhookAttempt]
}

/// One try at sending a delivery.
public struct WebhookAttempt: Sendable, Equatable {
    public let attempt: Int
    public let startedAt: Date
    public let durationMilliseconds: Int
    /// The receiver's status, or nil when no answer came (then `error` says why).
    public let statusCode: Int?
    public let error: String?
    public let responseExcerpt: String?

    public init(
        attempt: Int, startedAt: Date, durationMilliseconds: Int, statusCode: Int?, error: String?, responseExcerpt: String?
    ) {
        self.attempt = attempt
        self.startedAt = startedAt
        self.durationMilliseconds = durationMilliseconds
        self.statusCode = statusCode
        self.error = error
        self.responseExcerpt = responseExcerpt
    }
}
