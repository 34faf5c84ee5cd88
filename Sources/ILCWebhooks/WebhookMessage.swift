import Foundation

/// One signed request: the event's id (the same on every attempt, so receivers can
/// drop repeats), this attempt's time, and the exact body that is signed.
public struct WebhookMessage: Sendable {
    public let id: String
    public let timestamp: Int
    public let body: Data
    public let secret: WebhookSecret

    public init(id: String, timestamp: Int = Int(Date().timeIntervalSince1970), body: Data, secret: WebhookSecret) {
        self.id = id
        self.timestamp = timestamp
        self.body = body
        self.secret = secret
    }

    /// Standard Webhooks headers plus the content type.
    var headers: [(String, String)] {
        [
            ("Content-Type", "application/json"),
            ("webhook-id", id),
            ("webhook-timestamp", String(timestamp)),
            ("webhook-signature", WebhookSignature.sign(id: id, timestamp: timestamp, body: body, secret: secret)),
        ]
    }
}

/// What the receiver answered.
public struct WebhookAnswer: Sendable, Equatable {
    public let status: Int
    /// The first kilobyte of the body at most, as text, for the delivery log.
    public let excerpt: String
    /// `Retry-After` in seconds, when the receiver gave one.
    public let retryAfterSeconds: Int?
}
