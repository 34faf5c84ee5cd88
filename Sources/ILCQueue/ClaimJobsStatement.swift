import Foundation
import ILCStore
import PostgresNIO

/// Moves dispatched jobs from queued to running under fresh lease tokens, in one
/// statement for the whole batch. Jobs that are not queued any more are left alone.
struct ClaimJobsStatement: PostgresPreparedStatement {
    static let sql = """
        UPDATE jobs AS j SET state = 'running', attempts = j.attempts + 1, lease_token = c.token,
                lease_owner = $4, lease_expires_at = now() + make_interval(secs => $5),
                started_at = coalesce(j.started_at, now()), updated_at = now()
            FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) WITH ORDINALITY AS c(tenant_id, id, token, position)
            WHERE j.tenant_id = c.tenant_id AND j.id = c.id AND j.state = 'queued'
            RETURNING c.position, j.type, j.payload::text, j.attempts, j.max_attempts, j.created_at, j.trace_parent,
                j.outage_put_backs
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

    /// Rows name their job by position in the batch: decoding ids and tokens the
    /// worker already has would cost more than the rest of the row.
    func decodeRow(_ row: PostgresRow) throws -> Row {
        let (position, type, payload, attempt, maxAttempts, createdAt, traceParent, outagePutBacks) = try row.decode(
            (Int64, String, String, Int32, Int32, Date, String?, Int32).self)
        let index = Int(position) - 1
        guard jobs.indices.contains(index) else {
            throw StoreError.corrupt("claim returned position \(position) of \(jobs.count)")
        }
        return JobStore.Claimed(
            tenantID: jobs[index].tenantID, id: jobs[index].id, type: type, payload: payload, attempt: Int(attempt),
            maxAttempts: Int(maxAttempts), token: tokens[index], createdAt: createdAt, traceParent: traceParent,
            outagePutBacks: Int(outagePutBacks))
    }
}
