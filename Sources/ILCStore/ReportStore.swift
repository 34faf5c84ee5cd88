import Crypto
import Foundation
import ILCReports
import PostgresNIO

/// Generated reports with their content, kept for the tenant's retention period.
public struct ReportStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    static let columns = """
        id, kind, format, title, cycle_id, collective_id, content_type, size_bytes, encode(sha256, 'hex'), job_id,
        created_at, expires_at
        """

    /// Stores a report; it expires after the tenant's `report_retention_days`. A job
    /// has one report: a rerun of the same job (its worker died after this write)
    /// replaces it, keeping its id.
    public func save(tenantID: UUID, _ draft: ReportDraft) async throws -> Report {
        let digest = Data(SHA256.hash(data: draft.content))
        return try await database.withTenantTransaction(tenantID) { transaction in
            let rows = try await transaction.query(
                """
                INSERT INTO reports (tenant_id, id, kind, format, title, cycle_id, collective_id, content_type, content,
                    size_bytes, sha256, job_id, expires_at)
                SELECT \(tenantID), ilc_time_ordered_id(), \(draft.kind.rawValue), \(draft.format.rawValue), \(draft.title),
                    \(draft.cycleID), \(draft.collectiveID), \(draft.format.contentType), \(ByteBuffer(data: draft.content)),
                    \(draft.content.count), \(ByteBuffer(data: digest)), \(draft.jobID),
                    now() + make_interval(days => t.report_retention_days)
                FROM tenants t WHERE t.id = \(tenantID)
                ON CONFLICT (tenant_id, job_id) WHERE job_id IS NOT NULL DO UPDATE SET
                    kind = excluded.kind, format = excluded.format, title = excluded.title, cycle_id = excluded.cycle_id,
                    collective_id = excluded.collective_id, content_type = excluded.content_type,
                    content = excluded.content, size_bytes = excluded.size_bytes, sha256 = excluded.sha256,
                    created_at = now(), expires_at = excluded.expires_at
                RETURNING \(unescaped: Self.columns)
                """)
            guard let report = try rows.first.map(Self.report) else {
                throw StoreError.conflict("tenant \(tenantID) vanished while its report was stored")
            }
            return report
        }
    }

    public func find(tenantID: UUID, id: UUID) async throws -> Report? {
        try await database.withTenantTransaction(tenantID) { transaction in
            try await transaction.query(
                "SELECT \(unescaped: Self.columns) FROM reports WHERE id = \(id) AND (expires_at IS NULL OR expires_at > now())"
            ).first.map(Self.report)
        }
    }

    /// The report and its bytes; nil when the tenant has no such report (or it expired).
    public func content(tenantID: UUID, id: UUID) async throws -> (report: Report, content: Data)? {
        try await database.withTenantTransaction(tenantID) { transaction in
            try await transaction.query(
                """
                SELECT \(unescaped: Self.columns), content FROM reports
                WHERE id = \(id) AND (expires_at IS NULL OR expires_at > now())
                """
            ).first.map { row in
                let (id, kind, format, title, cycle, collective, contentType, size, sha256, job, created, expires, content) =
                    try row.decode((UUID, String, String, String, UUID?, UUID?, String, Int, String, UUID?, Date, Date?, ByteBuffer).self)
                let report = try Self.report((id, kind, format, title, cycle, collective, contentType, size, sha256, job, created, expires))
                return (report, Data(buffer: content))
            }
        }
    }

    /// Newest first, strictly before `cursor`; only those of a cycle or a job when given.
    public func list(tenantID: UUID, cycleID: UUID?, jobID: UUID?, before cursor: UUID?, limit: Int) async throws -> [Report] {
        try await database.withTenantTransaction(tenantID) { transaction in
            try await transaction.query(
                """
                SELECT \(unescaped: Self.columns) FROM reports
                WHERE (expires_at IS NULL OR expires_at > now())
                    AND (\(cycleID)::uuid IS NULL OR cycle_id = \(cycleID))
                    AND (\(jobID)::uuid IS NULL OR job_id = \(jobID))
                    AND (\(cursor)::uuid IS NULL OR id < \(cursor))
                ORDER BY id DESC LIMIT \(limit)
                """
            ).map(Self.report)
        }
    }

    /// Deletes every tenant's expired reports; answers how many.
    public func purgeExpired() async throws -> Int {
        try await database.withOperatorTransaction { transaction in
            // No WHERE clause: the operator-scope policy limits the DELETE to expired rows.
            try await transaction.execute("DELETE FROM reports")
        }
    }

    static func report(_ row: PostgresRow) throws -> Report {
        try report(try row.decode((UUID, String, String, String, UUID?, UUID?, String, Int, String, UUID?, Date, Date?).self))
    }

    /// A report from the values of `columns`, in order.
    private static func report(
        _ values: (UUID, String, String, String, UUID?, UUID?, String, Int, String, UUID?, Date, Date?)
    ) throws -> Report {
        let (id, kind, format, title, cycle, collective, contentType, size, sha256, job, created, expires) = values
        guard let kind = ReportKind(rawValue: kind), let format = ReportFormat(rawValue: format) else {
            throw StoreError.corrupt("report \(id) has an unknown kind or format: \(kind), \(format)")
        }
        return Report(
            id: id, kind: kind, format: format, title: title, cycleID: cycle, collectiveID: collective, contentType: contentType,
            sizeBytes: size, sha256: sha256, jobID: job, createdAt: created, expiresAt: expires)
    }
}
