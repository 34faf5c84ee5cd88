import Foundation
import ILCStore
import PostgresNIO

/// Writes many runs' outcomes in one statement. Only rows whose lease token still
/// matches change: a worker that lost its lease (reaped, re-dispatched) can never
/// overwrite what another run wrote.
///
/// Unlike the queue connection's other statements, this one commits durably (it turns
/// `synchronous_commit` on for its own transaction): once it answers, Redis forgets
/// the job's lease, so an outcome lost in a PostgreSQL crash would leave the job
/// "running" with nothing left to reap it until the next full sweep, minutes later.
/// One WAL flush per batch of outcomes.
struct CompleteJobsStatement: PostgresPreparedStatement {
    // One pass: the SET expressions see the row as it is when updated, so a cancel
    // that lands at the same moment still wins.
    private static let nextState = """
        CASE WHEN c.outcome = 'succeeded' THEN 'succeeded'
             WHEN c.outcome = 'canceled' OR j.state = 'canceling' THEN 'canceled'
             WHEN c.outcome IN ('released', 'put_back') THEN 'queued'
             WHEN c.outcome = 'failed' OR j.attempts >= j.max_attempts THEN 'failed'
             ELSE 'queued' END
        """
    static let sql = """
        WITH durable AS MATERIALIZED (SELECT set_config('synchronous_commit', 'on', true))
        UPDATE jobs AS j SET
            state = \(nextState),
            result = CASE WHEN c.outcome = 'succeeded' THEN nullif(c.result, '')::jsonb ELSE j.result END,
            error = CASE WHEN c.error <> '' THEN c.error::jsonb ELSE j.error END,
            attempts = CASE WHEN c.outcome IN ('released', 'put_back') THEN greatest(j.attempts - 1, 0) ELSE j.attempts END,
            outage_put_backs = j.outage_put_backs + (c.outcome = 'put_back')::int,
            run_at = CASE WHEN \(nextState) = 'queued' THEN now() + c.delay_ms * interval '1 millisecond'
                          ELSE j.run_at END,
            finished_at = CASE WHEN \(nextState) <> 'queued' THEN now() END,
            progress_percent = CASE WHEN c.outcome = 'succeeded' THEN 100 ELSE j.progress_percent END,
            lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
        FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::int8[])
            WITH ORDINALITY AS c(tenant_id, id, token, outcome, result, error, delay_ms, position), durable
        WHERE j.tenant_id = c.tenant_id AND j.id = c.id AND j.lease_token = c.token
        RETURNING c.position, j.state, j.priority, j.run_at
        """
    typealias Row = SettledJob

    let completions: [JobCompletion]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 7)
        bindings.append(completions.map(\.tenantID))
        bindings.append(completions.map(\.id))
        bindings.append(completions.map(\.token))
        bindings.append(completions.map(\.outcome.rawValue))
        bindings.append(completions.map { $0.result ?? "" })
        bindings.append(completions.map { $0.error ?? "" })
        bindings.append(completions.map(\.retryDelay.milliseconds))
        return bindings
    }

    /// Rows name their job by position in the batch, as in `ClaimJobsStatement`.
    func decodeRow(_ row: PostgresRow) throws -> Row {
        let (position, state, priority, runAt) = try row.decode((Int64, String, Int16, Date).self)
        let index = Int(position) - 1
        guard completions.indices.contains(index) else {
            throw StoreError.corrupt("outcome write returned position \(position) of \(completions.count)")
        }
        return SettledJob(
            tenantID: completions[index].tenantID, id: completions[index].id, state: state, priority: Int(priority),
            runAt: runAt)
    }
}
