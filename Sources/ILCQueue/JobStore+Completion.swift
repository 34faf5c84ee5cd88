import Foundation
import ILCCore
import ILCStore
import PostgresNIO

extension JobStore {
    /// Writes many runs' outcomes in one statement (see `CompleteJobsStatement`).
    func complete(_ completions: [JobCompletion]) async throws -> [SettledJob] {
        guard !completions.isEmpty else { return [] }
        return try await database.queueStatement(CompleteJobsStatement(completions: completions))
    }

    /// Extends leases; returns the state of each job whose lease this worker still
    /// holds (`canceling` tells the worker to stop the run). Jobs missing from the
    /// answer have lost their lease.
    func extend(_ leases: [(tenantID: UUID, id: UUID, token: UUID)], lease: Duration) async throws -> [UUID: JobState] {
        guard !leases.isEmpty else { return [:] }
        let seconds = Double(lease.milliseconds) / 1000
        let rows = try await database.queueStatement(
                """
                UPDATE jobs AS j SET lease_expires_at = now() + make_interval(secs => \(seconds))
                FROM unnest(\(leases.map(\.tenantID))::uuid[], \(leases.map(\.id))::uuid[], \(leases.map(\.token))::uuid[])
                     AS c(tenant_id, id, token)
                WHERE j.tenant_id = c.tenant_id AND j.id = c.id AND j.lease_token = c.token
                RETURNING j.id, j.state
                """)
        var states: [UUID: JobState] = [:]
        for row in rows {
            let (id, state) = try row.decode((UUID, String).self)
            states[id] = JobState(rawValue: state)
        }
        return states
    }

    /// Writes the latest progress of running jobs, guarded by their lease tokens.
    func recordProgress(_ updates: [(tenantID: UUID, id: UUID, token: UUID, progress: JobRecord.Progress)]) async throws {
        guard !updates.isEmpty else { return }
        try await database.queueStatement(
                """
                UPDATE jobs AS j SET progress_percent = nullif(c.percent, -1), progress_processed = nullif(c.processed, -1),
                    progress_total = nullif(c.total, -1), progress_message = nullif(c.message, ''), updated_at = now()
                FROM unnest(\(updates.map(\.tenantID))::uuid[], \(updates.map(\.id))::uuid[], \(updates.map(\.token))::uuid[],
                            \(updates.map { $0.progress.percent ?? -1 })::float8[],
                            \(updates.map { $0.progress.processed ?? -1 })::int8[],
                            \(updates.map { $0.progress.total ?? -1 })::int8[],
                            \(updates.map { $0.progress.message ?? "" })::text[])
                     AS c(tenant_id, id, token, percent, processed, total, message)
                WHERE j.tenant_id = c.tenant_id AND j.id = c.id AND j.lease_token = c.token
                """)
    }

    static func settled(_ row: PostgresRow) throws -> SettledJob {
        let (tenantID, id, state, priority, runAt) = try row.decode((UUID, UUID, String, Int16, Date).self)
        return SettledJob(tenantID: tenantID, id: id, state: state, priority: Int(priority), runAt: runAt)
    }
}
