import Foundation
import ILCStore
import PostgresNIO

extension JobStore {
    /// First key of the advisory locks that elect one maintenance process per queue.
    static let maintenanceLockClass: Int32 = 0x1C5C_0002

    /// Runs `body` in a queue transaction only if no other process is doing this
    /// queue's maintenance right now; returns nil when another one is.
    func withMaintenanceLock<Result: Sendable>(
        queue: String, _ body: (Transaction) async throws -> Result
    ) async throws -> Result? {
        try await database.withQueueTransaction { transaction in
            let rows = try await transaction.query(
                "SELECT pg_try_advisory_xact_lock(\(Self.maintenanceLockClass), hashtext(\(queue)))")
            guard try rows.first?.decode(Bool.self) == true else { return nil }
            return try await body(transaction)
        }
    }

    /// Of `candidates` (jobs whose Redis lease is due), returns those whose lease
    /// really expired (the worker died or stalled) to the queue, or ends them when
    /// they are out of attempts. Counted in `lease_expirations`, apart from handler
    /// errors.
    static func reap(_ candidates: [DispatchedJob], in transaction: Transaction) async throws -> [SettledJob] {
        guard !candidates.isEmpty else { return [] }
        let rows = try await transaction.query(
            """
            WITH expired AS (
                SELECT j.tenant_id, j.id FROM jobs j
                JOIN unnest(\(candidates.map(\.tenantID))::uuid[], \(candidates.map(\.id))::uuid[]) AS c(tenant_id, id)
                  ON j.tenant_id = c.tenant_id AND j.id = c.id
                WHERE j.state IN ('running', 'canceling') AND j.lease_expires_at < now()
                FOR UPDATE OF j SKIP LOCKED
            )
            UPDATE jobs AS j SET
                state = CASE WHEN j.state = 'canceling' THEN 'canceled'
                             WHEN j.attempts >= j.max_attempts THEN 'failed' ELSE 'queued' END,
                error = CASE WHEN j.state <> 'canceling' AND j.attempts >= j.max_attempts
                             THEN jsonb_build_object('type', 'https://ilc.example/problems/lease-expired',
                                                     'title', 'The worker running this job stopped responding',
                                                     'detail', 'Lease held by ' || coalesce(j.lease_owner, 'unknown') || ' expired',
                                                     'attempts', j.attempts)
                             ELSE j.error END,
                finished_at = CASE WHEN j.state = 'canceling' OR j.attempts >= j.max_attempts THEN now() END,
                lease_expirations = j.lease_expirations + 1, run_at = now(),
                lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
            FROM expired e
            WHERE j.tenant_id = e.tenant_id AND j.id = e.id
            RETURNING j.tenant_id, j.id, j.state, j.priority, j.run_at
            """)
        return try rows.map(settled)
    }

    /// Queued jobs created in [from, until), in creation order after a cursor, for the
    /// sweeper and for rebuilds.
    static func queued(
        queue: String, createdFrom from: Date, until: Date, after cursor: (Date, UUID)?, limit: Int,
        in transaction: Transaction
    ) async throws -> [(job: SettledJob, createdAt: Date)] {
        let afterTime = cursor?.0 ?? from
        let afterID = cursor?.1 ?? UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        let rows = try await transaction.query(
            """
            SELECT tenant_id, id, state, priority, run_at, created_at FROM jobs
            WHERE state = 'queued' AND queue = \(queue) AND created_at >= \(from) AND created_at < \(until)
              AND (created_at, id) > (\(afterTime), \(afterID))
            ORDER BY created_at, id LIMIT \(limit)
            """)
        return try rows.map { row in
            let (tenantID, id, state, priority, runAt, createdAt) = try row.decode((UUID, UUID, String, Int16, Date, Date).self)
            return (SettledJob(tenantID: tenantID, id: id, state: state, priority: Int(priority), runAt: runAt), createdAt)
        }
    }

    /// For a full sweep, in one read of the queue's jobs created from `from` on: the
    /// creation time of the oldest one waiting or running (the database's clock when
    /// there is none), and every running one with its lease deadline, to give Redis back
    /// the leases it lost. One statement, so a job moving between waiting and running
    /// meanwhile is seen in one state or the other. No index lists unfinished jobs (so
    /// job updates stay HOT): the creation-time range is what keeps this read short.
    static func unfinished(
        queue: String, createdFrom from: Date, in transaction: Transaction
    ) async throws -> (oldest: Date, leases: [(job: DispatchedJob, deadline: Date)]) {
        let rows = try await transaction.query(
            """
            SELECT coalesce(min(created_at), now()),
                   coalesce(array_agg(tenant_id) FILTER (WHERE state <> 'queued'), '{}'),
                   coalesce(array_agg(id) FILTER (WHERE state <> 'queued'), '{}'),
                   coalesce(array_agg(coalesce(lease_expires_at, now())) FILTER (WHERE state <> 'queued'), '{}')
            FROM jobs
            WHERE queue = \(queue) AND state IN ('queued', 'running', 'canceling') AND created_at >= \(from)
            """)
        let (oldest, tenantIDs, ids, deadlines) = try rows[0].decode((Date, [UUID], [UUID], [Date]).self)
        let leases = zip(zip(tenantIDs, ids), deadlines).map { pair, deadline in
            (job: DispatchedJob(tenantID: pair.0, id: pair.1), deadline: deadline)
        }
        return (oldest, leases)
    }

    /// Those of `tenants` that still exist.
    func existingTenants(among tenants: Set<UUID>) async throws -> Set<UUID> {
        try await database.withOperatorTransaction { transaction in
            Set(try await transaction.query("SELECT id FROM tenants WHERE id = ANY(\(Array(tenants))::uuid[])").map { row in
                try row.decode(UUID.self)
            })
        }
    }

    /// The scheduling settings (weight, in-flight cap) of every tenant that does not
    /// use the default ones (weight 1, no cap).
    func tenantSettings() async throws -> [(tenantID: UUID, weight: Int, cap: Int?)] {
        try await database.withOperatorTransaction { transaction in
            try await transaction.query(
                "SELECT id, queue_weight, max_in_flight FROM tenants WHERE queue_weight <> 1 OR max_in_flight IS NOT NULL"
            ).map { row in
                let (id, weight, cap) = try row.decode((UUID, Int32, Int32?).self)
                return (id, Int(weight), cap.map(Int.init))
            }
        }
    }
}
