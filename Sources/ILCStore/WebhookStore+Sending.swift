import Foundation
import ILCCore
import PostgresNIO

/// A delivery as the sending job needs it.
public struct WebhookSend: Sendable, Equatable {
    public let deliveryID: UUID
    public let eventID: String
    /// JSON text, sent and signed byte for byte as stored.
    public let payload: String
    public let url: String
    public let secret: String
    public let state: WebhookDelivery.State
    /// Attempts recorded so far.
    public let attempts: Int
    public let endpointEnabled: Bool
}

extension WebhookStore {
    /// How an attempt ended for the delivery.
    public enum Verdict: Sendable, Equatable {
        case delivered
        case retry(after: Duration)
        /// No attempts left, or nothing can be sent (the endpoint is off).
        case failed
        /// The receiver answered 410 Gone: the delivery fails and the endpoint is turned off.
        case gone
    }

    /// Nil when the delivery is gone (its endpoint was deleted).
    public func toSend(tenantID: UUID, deliveryID: UUID) async throws -> WebhookSend? {
        try await database.withTenantTransaction(tenantID) { transaction in
            let rows = try await transaction.query(
                """
                SELECT d.event_id, d.payload::text, e.url, e.secret, d.state, d.attempts, e.enabled
                FROM webhook_deliveries d JOIN webhook_endpoints e ON e.tenant_id = d.tenant_id AND e.id = d.endpoint_id
                WHERE d.id = \(deliveryID)
                """)
            guard let row = rows.first else { return nil }
            let (eventID, payload, url, secret, state, attempts, enabled) = try row.decode(
                (String, String, String, String, String, Int, Bool).self)
            guard let deliveryState = WebhookDelivery.State(rawValue: state) else {
                throw StoreError.corrupt("webhook delivery \(deliveryID) has state '\(state)'")
            }
            return WebhookSend(
                deliveryID: deliveryID, eventID: eventID, payload: payload, url: url, secret: secret, state: deliveryState,
                attempts: attempts, endpointEnabled: enabled)
        }
    }

    /// Logs one attempt and moves the delivery (and, on 410, its endpoint) on, together.
    public func record(tenantID: UUID, deliveryID: UUID, attempt: WebhookAttempt, verdict: Verdict) async throws {
        let state: WebhookDelivery.State
        var retryMilliseconds: Int64?
        switch verdict {
        case .delivered: state = .delivered
        case .retry(let delay):
            state = .pending
            retryMilliseconds = delay.milliseconds
        case .failed, .gone: state = .failed
        }
        try await database.withTenantTransaction(tenantID) { transaction in
            try await transaction.query(
                """
                INSERT INTO webhook_attempts (tenant_id, delivery_id, attempt, started_at, duration_ms, status_code, error,
                    response_excerpt)
                VALUES (\(tenantID), \(deliveryID), \(attempt.attempt), \(attempt.startedAt), \(attempt.durationMilliseconds),
                    \(attempt.statusCode), \(attempt.error), \(attempt.responseExcerpt))
                ON CONFLICT (tenant_id, delivery_id, attempt) DO UPDATE SET started_at = excluded.started_at,
                    duration_ms = excluded.duration_ms, status_code = excluded.status_code, error = excluded.error,
                    response_excerpt = excluded.response_excerpt
                """)
            let endpoints = try await transaction.query(
                """
                UPDATE webhook_deliveries SET
                    state = \(state.rawValue), attempts = greatest(attempts, \(attempt.attempt)),
                    last_attempt_at = \(attempt.startedAt), last_status = \(attempt.statusCode), last_error = \(attempt.error),
                    next_attempt_at = now() + \(retryMilliseconds)::int8 * interval '1 millisecond',
                    delivered_at = CASE WHEN \(state.rawValue) = 'delivered' THEN now() END
                WHERE id = \(deliveryID)
                RETURNING endpoint_id
                """)
            if verdict == .gone, let endpointID = try endpoints.first?.decode(UUID.self) {
                try await transaction.query(
                    """
                    UPDATE webhook_endpoints SET enabled = false, updated_at = now(),
                        disabled_reason = 'the receiver answered 410 Gone at ' || to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"')
                    WHERE id = \(endpointID)
                    """)
            }
        }
    }

    /// Marks a delivery failed without an attempt (its endpoint is off).
    public func abandon(tenantID: UUID, deliveryID: UUID, reason: String) async throws {
        try await database.withTenantTransaction(tenantID) { transaction in
            try await transaction.query(
                """
                UPDATE webhook_deliveries SET state = 'failed', last_error = \(reason), next_attempt_at = NULL
                WHERE id = \(deliveryID) AND state = 'pending'
                """)
        }
    }
}
