import Foundation
import ILCCore
import PostgresNIO

/// A tenant's webhook endpoints and their delivery log, always inside the tenant's
/// transaction. Deliveries are made by the database itself when a job ends (migration
/// 0008); `WebhookStore+Sending` serves the job that sends them.
public struct WebhookStore: Sendable {
    let database: Database
    /// Enough for a few integrations per agency; each endpoint multiplies every event.
    public static let endpointLimit = 20

    public init(database: Database) {
        self.database = database
    }

    public enum Refusal: Error, Sendable, Equatable {
        case notFound
        case tooManyEndpoints(limit: Int)
    }

    static let endpointColumns = "id, url, description, event_types, enabled, disabled_reason, created_at, updated_at"

    public func create(
        tenantID: UUID, url: String, description: String?, eventTypes: [WebhookEventType], secret: String
    ) async throws -> WebhookEndpoint {
        try await database.withTenantTransaction(tenantID) { transaction in
            // Two creates at once must not both pass the count.
            try await transaction.query(
                "SELECT pg_advisory_xact_lock(hashtextextended('webhook-endpoints:' || \(tenantID)::text, 0))")
            let count = try await transaction.query("SELECT count(*) FROM webhook_endpoints")[0].decode(Int.self)
            guard count < Self.endpointLimit else { throw Refusal.tooManyEndpoints(limit: Self.endpointLimit) }
            let rows = try await transaction.query(
                """
                INSERT INTO webhook_endpoints (tenant_id, url, description, event_types, secret)
                VALUES (\(tenantID), \(url), \(description), \(eventTypes.map(\.rawValue))::text[], \(secret))
                RETURNING \(unescaped: Self.endpointColumns)
                """)
            return try Self.endpoint(rows[0])
        }
    }

    /// Every endpoint of the tenant, oldest first (there are at most `endpointLimit`).
    public func list(tenantID: UUID) async throws -> [WebhookEndpoint] {
        try await database.withTenantTransaction(tenantID) { transaction in
            try await transaction.query("SELECT \(unescaped: Self.endpointColumns) FROM webhook_endpoints ORDER BY id")
                .map(Self.endpoint)
        }
    }

    public func find(tenantID: UUID, id: UUID) async throws -> WebhookEndpoint? {
        try await database.withTenantTransaction(tenantID) { transaction in
            try await transaction.query(
                "SELECT \(unescaped: Self.endpointColumns) FROM webhook_endpoints WHERE id = \(id)"
            ).first.map(Self.endpoint)
        }
    }

    public func update(tenantID: UUID, id: UUID, changes: WebhookEndpointChanges) async throws -> WebhookEndpoint? {
        try await database.withTenantTransaction(tenantID) { transaction in
            try await transaction.query(
                """
                UPDATE webhook_endpoints SET
                    url = coalesce(\(changes.url), url),
                    description = coalesce(\(changes.description), description),
                    event_types = coalesce(\(changes.eventTypes?.map(\.rawValue))::text[], event_types),
                    enabled = coalesce(\(changes.enabled), enabled),
                    disabled_reason = CASE WHEN \(changes.enabled)::boolean THEN NULL ELSE disabled_reason END,
                    updated_at = now()
                WHERE id = \(id)
                RETURNING \(unescaped: Self.endpointColumns)
                """
            ).first.map(Self.endpoint)
        }
    }

    /// Deletes the endpoint with its delivery log; pending deliveries are dropped.
    public func delete(tenantID: UUID, id: UUID) async throws -> Bool {
        try await database.withTenantTransaction(tenantID) { transaction in
            try await transaction.execute("DELETE FROM webhook_endpoints WHERE id = \(id)") > 0
        }
    }

    /// One page of an endpoint's deliveries, newest first, strictly before `cursor` (a
    /// delivery id), each with its attempts; nil when the tenant has no such endpoint.
    public func deliveries(
        tenantID: UUID, endpointID: UUID, state: WebhookDelivery.State?, before cursor: UUID?, limit: Int
    ) async throws -> [WebhookDelivery]? {
        try await database.withTenantSnapshot(tenantID) { transaction in
            guard try await transaction.query("SELECT FROM webhook_endpoints WHERE id = \(endpointID)").first != nil else {
                return nil
            }
            var deliveries = try await transaction.query(
                """
                SELECT \(unescaped: Self.deliveryColumns) FROM webhook_deliveries
                WHERE endpoint_id = \(endpointID) AND (\(state?.rawValue)::text IS NULL OR state = \(state?.rawValue))
                  AND (\(cursor)::uuid IS NULL OR id < \(cursor))
                ORDER BY id DESC LIMIT \(limit)
                """
            ).map(Self.delivery)
            let attempts = try await Self.attempts(of: deliveries.map(\.id), in: transaction)
            for index in deliveries.indices {
                deliveries[index].attemptLog = attempts[deliveries[index].id] ?? []
            }
            return deliveries
        }
    }

    static let deliveryColumns = """
        id, endpoint_id, event_id, event_type, state, attempts, next_attempt_at, last_status, last_error, job_id,
        created_at, delivered_at, payload::text
        """

    static func attempts(of deliveryIDs: [UUID], in transaction: Transaction) async throws -> [UUID: [WebhookAttempt]] {
        guard !deliveryIDs.isEmpty else { return [:] }
        var attempts: [UUID: [WebhookAttempt]] = [:]
        for row in try await transaction.query(
            """
            SELECT delivery_id, attempt, started_at, duration_ms, status_code, error, response_excerpt
            FROM webhook_attempts WHERE delivery_id = ANY (\(deliveryIDs)::uuid[]) ORDER BY delivery_id, attempt
            """
        ) {
            let (deliveryID, attempt, startedAt, duration, status, error, excerpt) = try row.decode(
                (UUID, Int, Date, Int, Int?, String?, String?).self)
            attempts[deliveryID, default: []].append(
                WebhookAttempt(
                    attempt: attempt, startedAt: startedAt, durationMilliseconds: duration, statusCode: status, error: error,
                    responseExcerpt: excerpt))
        }
        return attempts
    }

    static func endpoint(_ row: PostgresRow) throws -> WebhookEndpoint {
        let (id, url, description, eventTypes, enabled, disabledReason, createdAt, updatedAt) = try row.decode(
            (UUID, String, String?, [String], Bool, String?, Date, Date).self)
        return WebhookEndpoint(
            id: id, url: url, description: description, eventTypes: eventTypes.compactMap(WebhookEventType.init(rawValue:)),
            enabled: enabled, disabledReason: disabledReason, createdAt: createdAt, updatedAt: updatedAt)
    }

    static func delivery(_ row: PostgresRow) throws -> WebhookDelivery {
        let (id, endpointID, eventID, eventType, state, attempts, nextAttemptAt, lastStatus, lastError, jobID, createdAt,
             deliveredAt, payload) = try row.decode(
            (UUID, UUID, String, String, String, Int, Date?, Int?, String?, UUID?, Date, Date?, String).self)
        guard let state = WebhookDelivery.State(rawValue: state) else {
            throw StoreError.corrupt("webhook delivery \(id) has state '\(state)'")
        }
        return WebhookDelivery(
            id: id, endpointID: endpointID, eventID: eventID, eventType: eventType, state: state, attempts: attempts,
            nextAttemptAt: nextAttemptAt, lastStatus: lastStatus, lastError: lastError, jobID: jobID, createdAt: createdAt,
            deliveredAt: deliveredAt, payload: payload, attemptLog: [])
    }
}
