import Foundation
import PostgresNIO

/// Moves dispatched jobs from queued to running under fresh lease tokens, in one
/// statement for the whole batch. Jobs that are not queued any more are left alone.
struct ClaimJobsStatement: PostgresPreparedStatement {
    static let sql = """
        UPDATE jobs AS j SET state = 'running', attempts = j.attempts + 1, lease_token = c.token,
                lease_owner = $4, lease_expires_at = now() + make_interval(secs => $5),
                started_at = coalesce(j.started_at, now()), updated_at = now()
            FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS c(tenant_id, id, token)
            WHERE j.tenant_id = c.tenant_id AND j.id = c.id AND j.state = 'queued'
            RETURNING j.tenant_id, j.id, j.type, j.payload::text, j.attempts, j.max_attempts, c.token, j.created_at
        """
    typealias Row = JobStore.Claimed

    let jobs: [DispatchedJob]
    let tokens: [UUID]
    let worker: String
    let leaseSeconds: Double

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 5)
        bindings.append(jobs.map(\.tenantID))
        bindings.append(jobs.map(\.id))
        bindings.append(tokens)
        bindings.append(worker)
        bindings.append(leaseSeconds)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let (tenantID, id, type, payload, attempt, maxAttempts, token, createdAt) = try row.decode(
            (UUID, UUID, String, String, Int32, Int32, UUID, Date).self)
        return JobStore.Claimed(
            tenantID: tenantID, id: id, type: type, payload: payload, attempt: Int(attempt),
            maxAttempts: Int(maxAttempts), token: token, createdAt: createdAt)
    }
}
