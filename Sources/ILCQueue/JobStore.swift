import Foundation
import ILCCore
import ILCStore
import PostgresNIO

/// The jobs table: the record of truth. Writes of the queue runtime are batched
/// across tenants (queue scope) and guarded by lease tokens, so a job has exactly
/// one winner: a worker that lost its lease changes nothing.
struct JobStore: Sendable {
    let database: Database

    /// Inserts the jobs in the caller's tenant transaction, so they commit or roll back
    /// with the caller's domain writes. A request whose idempotency key is taken
    /// returns the existing job instead.
    static func insert(
        _ requests: [JobRequest], queue: String, tenantID: UUID, in transaction: Transaction
    ) async throws -> [EnqueuedJob] {
        guard !requests.isEmpty else { return [] }
        let statement = EnqueueJobsStatement(requests, queue: queue, tenantID: tenantID)
        let rows = try await transaction.query(statement)
        return try await ordered(requests, ids: statement.ids, rows: rows, tenantID: tenantID) { key in
            try await existing(key: key, tenantID: tenantID, in: transaction)
        }
    }

    /// The same in one round trip, committed on its own (the SQL function sets the
    /// tenant for its statement): for callers with nothing else to write.
    func insertStandalone(_ requests: [JobRequest], queue: String, tenantID: UUID) async throws -> [EnqueuedJob] {
        guard !requests.isEmpty else { return [] }
        let statement = EnqueueJobsStatement(requests, queue: queue, tenantID: tenantID)
        let rows = try await database.standaloneStatement(statement)
        return try await Self.ordered(requests, ids: statement.ids, rows: rows, tenantID: tenantID) { key in
            try await database.withTenantTransaction(tenantID) { transaction in
                try await Self.existing(key: key, tenantID: tenantID, in: transaction)
            }
        }
    }

    /// Results in request order; a request whose idempotency key matched an existing
    /// job gets that job.
    private static func ordered(
        _ requests: [JobRequest], ids: [UUID], rows: [EnqueueJobsStatement.Row], tenantID: UUID,
        existing: (String) async throws -> EnqueuedJob
    ) async throws -> [EnqueuedJob] {
        var inserted: [UUID: EnqueuedJob] = [:]
        for (id, priority, runAt) in rows {
            inserted[id] = EnqueuedJob(tenantID: tenantID, id: id, priority: Int(priority), runAt: runAt, created: true)
        }
        var result: [EnqueuedJob] = []
        result.reserveCapacity(requests.count)
        for (index, request) in requests.enumerated() {
            if let job = inserted[ids[index]] {
                result.append(job)
            } else if let key = request.idempotencyKey {
                result.append(try await existing(key))
            }
        }
        return result
    }

    private static func existing(key: String, tenantID: UUID, in transaction: Transaction) async throws -> EnqueuedJob {
        let rows = try await transaction.query(
            "SELECT id, priority, run_at FROM jobs WHERE idempotency_key = \(key)")
        guard let row = rows.first else {
            throw StoreError.conflict("idempotency key '\(key)' is being used by a concurrent request")
        }
        let (id, priority, runAt) = try row.decode((UUID, Int16, Date).self)
        return EnqueuedJob(tenantID: tenantID, id: id, priority: Int(priority), runAt: runAt, created: false)
    }

    // MARK: queue scope

    struct Claimed: Sendable {
        let tenantID: UUID
        let id: UUID
        let type: String
        let payload: String
        let attempt: Int
        let maxAttempts: Int
        let token: UUID
        let createdAt: Date
        /// The enqueuing request's W3C trace context, when it had one.
        let traceParent: String?
        /// Runs so far put back uncharged because the database went out of reach.
        let outagePutBacks: Int
    }

    /// Moves fetched jobs from queued to running under fresh lease tokens. Jobs not
    /// returned were not queued (finished, cancelled, or claimed by another dispatch).
    func claim(_ jobs: [DispatchedJob], worker: String, lease: Duration) async throws -> [Claimed] {
        guard !jobs.isEmpty else { return [] }
        return try await database.queueStatement(
            ClaimJobsStatement(
                jobs: jobs, tokens: Self.leaseTokens(jobs.count), worker: worker,
                leaseSeconds: Double(lease.milliseconds) / 1000))
    }

    /// Unique, not secret: one system call per batch instead of one per token.
    private static func leaseTokens(_ count: Int) -> [UUID] {
        var random = SplitMixRandom()
        let now = Date()
        return (0..<count).map { _ in TimeOrderedID.make(at: now, using: &random) }
    }

    /// Where dispatched jobs stand now, so Redis can follow PostgreSQL: jobs a claim
    /// skipped, and jobs whose Redis lease fell due. Missing jobs are gone.
    func states(of jobs: [DispatchedJob]) async throws -> [UUID: JobStanding] {
        guard !jobs.isEmpty else { return [:] }
        let rows = try await database.queueStatement(
            """
            SELECT j.id, j.state, j.priority, j.run_at, j.lease_expires_at FROM jobs j
            JOIN unnest(\(jobs.map(\.tenantID))::uuid[], \(jobs.map(\.id))::uuid[]) AS c(tenant_id, id)
              ON j.tenant_id = c.tenant_id AND j.id = c.id
            """)
        var states: [UUID: JobStanding] = [:]
        for row in rows {
            let (id, state, priority, runAt, leaseExpiresAt) = try row.decode((UUID, String, Int16, Date, Date?).self)
            if let state = JobState(rawValue: state) {
                states[id] = JobStanding(state: state, priority: Int(priority), runAt: runAt, leaseExpiresAt: leaseExpiresAt)
            }
        }
        return states
    }
}

/// Where one job stands in PostgreSQL.
struct JobStanding: Sendable {
    let state: JobState
    let priority: Int
    let runAt: Date
    let leaseExpiresAt: Date?
}
