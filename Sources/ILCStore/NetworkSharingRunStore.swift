import Foundation
import ILCCore
import PostgresNIO

/// Network runs of knowledge sharing (migration 0012): started in operator scope, each
/// publication recorded in its tenant's scope. The database functions add the jobs.
public struct NetworkSharingRunStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Starts a run with a publishing job for every network tenant (none: the run is
    /// complete at once).
    public func start() async throws -> (run: NetworkSharingRun, jobs: [AddedJob]) {
        try await database.withOperatorTransaction { transaction in
            let id = TimeOrderedID.make()
            let jobs = try await transaction.query("SELECT tenant_id, job_id FROM ilc_start_network_sharing(\(id))").map(Self.job)
            guard let run = try await Self.find(id, in: transaction) else {
                throw StoreError.conflict("network run \(id) vanished in the transaction that made it")
            }
            return (run, jobs)
        }
    }

    public func find(id: UUID) async throws -> NetworkSharingRun? {
        try await database.withOperatorTransaction { transaction in try await Self.find(id, in: transaction) }
    }

    /// Records the tenant's publication; the call that completes the run answers the
    /// matching jobs it added, every other call none.
    public func published(tenantID: UUID, runID: UUID) async throws -> [AddedJob] {
        try await database.withTenantTransaction(tenantID) { transaction in
            try await transaction.query("SELECT tenant_id, job_id FROM ilc_network_sharing_published(\(runID))").map(Self.job)
        }
    }

    private static func find(_ id: UUID, in transaction: Transaction) async throws -> NetworkSharingRun? {
        try await transaction.query(
            """
            SELECT id, cardinality(tenants), cardinality(published), matching_started_at, created_at
            FROM network_sharing_runs WHERE id = \(id)
            """
        ).first.map { row in
            let (id, tenants, published, matching, created) = try row.decode((UUID, Int, Int, Date?, Date).self)
            return NetworkSharingRun(id: id, tenants: tenants, published: published, matchingStartedAt: matching, createdAt: created)
        }
    }

    private static func job(_ row: PostgresRow) throws -> AddedJob {
        let (tenant, id) = try row.decode((UUID, UUID).self)
        return AddedJob(tenantID: tenant, id: id)
    }
}
