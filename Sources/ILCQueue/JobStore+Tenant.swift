import Foundation
import ILCCore
import ILCStore
import PostgresNIO

/// What partners do to their own jobs: in their tenant's transaction, never across.
/// Each query also names its tenant: the jobs policy (a CASE for the queue scope) does
/// not let the planner use the primary key, so without it every lookup scanned the table.
extension JobStore {
    /// One round trip (`ilc_tenant_job`) on its own; inside a joined transaction, a
    /// read there, so it sees that transaction's writes.
    func find(tenantID: UUID, jobID: UUID) async throws -> JobRecord? {
        guard Database.joined != nil else {
            return try await database.standaloneStatement(FindJobStatement(tenantID: tenantID, jobID: jobID)).first
        }
        return try await database.withTenantTransaction(tenantID) { transaction in
            let rows = try await transaction.query(
                "SELECT \(unescaped: Self.recordColumns) FROM jobs WHERE tenant_id = \(tenantID) AND id = \(jobID)")
            return try rows.first.map(Self.record)
        }
    }

    /// The columns `record` reads, in its order.
    static let recordColumns = """
        tenant_id, id, type, state, priority, attempts, max_attempts, lease_expirations, payload::text,
        progress_percent::float8, progress_processed, progress_total, progress_message,
        result::text, error::text, run_at, created_at, updated_at, started_at, finished_at
        """

    /// The tenant's jobs, newest first (ids are time-ordered), before `cursor`.
    func list(tenantID: UUID, filter: JobFilter, before cursor: UUID?, limit: Int) async throws -> [JobRecord] {
        try await database.withTenantTransaction(tenantID) { transaction in
            let rows = try await transaction.query(
                """
                SELECT \(unescaped: Self.recordColumns)
                FROM jobs
                WHERE tenant_id = \(tenantID)
                  AND (\(filter.state?.rawValue)::text IS NULL OR state = \(filter.state?.rawValue))
                  AND (\(filter.type)::text IS NULL OR type = \(filter.type))
                  AND (\(cursor)::uuid IS NULL OR id < \(cursor))
                ORDER BY id DESC LIMIT \(limit)
                """)
            return try rows.map(Self.record)
        }
    }

    /// Cancels at once when queued; asks the running worker to stop otherwise.
    /// Returns the state after the request, or nil when the job does not exist.
    func cancel(tenantID: UUID, jobID: UUID) async throws -> JobState? {
        try await database.withTenantTransaction(tenantID) { transaction in
            let rows = try await transaction.query(
                """
                UPDATE jobs SET
                    state = CASE WHEN state = 'queued' THEN 'canceled' ELSE 'canceling' END,
                    finished_at = CASE WHEN state = 'queued' THEN now() END,
                    cancel_requested_at = now(), updated_at = now()
                WHERE tenant_id = \(tenantID) AND id = \(jobID) AND state IN ('queued', 'running')
                RETURNING state
                """)
            if let row = rows.first {
                return JobState(rawValue: try row.decode(String.self))
            }
            let current = try await transaction.query("SELECT state FROM jobs WHERE tenant_id = \(tenantID) AND id = \(jobID)")
            return try current.first.flatMap { JobState(rawValue: try $0.decode(String.self)) }
        }
    }

    static func record(_ row: PostgresRow) throws -> JobRecord {
        let column = row.makeRandomAccess()
        let id = try column[1].decode(UUID.self)
        let state = try column[3].decode(String.self)
        guard let jobState = JobState(rawValue: state) else {
            throw StoreError.corrupt("job \(id) has state '\(state)'")
        }
        let progress = JobRecord.Progress(
            percent: try column[9].decode(Double?.self), processed: try column[10].decode(Int64?.self),
            total: try column[11].decode(Int64?.self), message: try column[12].decode(String?.self))
        return JobRecord(
            tenantID: try column[0].decode(UUID.self), id: id, type: try column[2].decode(String.self), state: jobState,
            priority: Int(try column[4].decode(Int16.self)), attempts: Int(try column[5].decode(Int32.self)),
            maxAttempts: Int(try column[6].decode(Int32.self)), leaseExpirations: Int(try column[7].decode(Int32.self)),
            payload: try column[8].decode(String.self), progress: progress,
            result: try column[13].decode(String?.self), error: try column[14].decode(String?.self),
            runAt: try column[15].decode(Date.self), createdAt: try column[16].decode(Date.self),
            updatedAt: try column[17].decode(Date.self), startedAt: try column[18].decode(Date?.self),
            finishedAt: try column[19].decode(Date?.self))
    }
}
