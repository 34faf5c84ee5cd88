import Foundation
import PostgresNIO

extension KnowledgeShareStore {
    private static let columns = """
        k.id, k.target_collective_id, CASE WHEN k.source_tenant_id IS NULL THEN k.source_collective_id END,
        k.source_label, k.source_tenant_id IS NOT NULL, k.score, k.status, k.reasons::text, k.created_at, k.updated_at
        """

    /// Newest first, strictly before `cursor`; only those of `collectiveID` when given
    /// (nil when the tenant has no such collective).
    public func list(
        tenantID: UUID, collectiveID: UUID?, status: KnowledgeShare.Status?, before cursor: UUID?, limit: Int
    ) async throws -> [KnowledgeShare]? {
        try await database.withTenantSnapshot(tenantID) { transaction in
            if let collectiveID, try await !transaction.exists(.collectives, id: collectiveID) { return nil }
            return try await transaction.query(
                """
                SELECT \(unescaped: Self.columns) FROM knowledge_shares k
                WHERE (\(collectiveID)::uuid IS NULL OR k.target_collective_id = \(collectiveID))
                    AND (\(status?.rawValue)::text IS NULL OR k.status = \(status?.rawValue))
                    AND (\(cursor)::uuid IS NULL OR k.id < \(cursor))
                ORDER BY k.id DESC LIMIT \(limit)
                """
            ).map(Self.share)
        }
    }

    /// Marks a suggestion; nil when the tenant has no such suggestion.
    public func mark(tenantID: UUID, id: UUID, status: KnowledgeShare.Status) async throws -> KnowledgeShare? {
        try await database.withTenantTransaction(tenantID) { transaction in
            try await transaction.query(
                """
                UPDATE knowledge_shares k SET status = \(status.rawValue), updated_at = now()
                WHERE k.id = \(id)
                RETURNING \(unescaped: Self.columns)
                """
            ).first.map(Self.share)
        }
    }

    private static func share(_ row: PostgresRow) throws -> KnowledgeShare {
        let (id, target, source, label, crossTenant, score, status, reasons, created, updated) =
            try row.decode((UUID, UUID, UUID?, String?, Bool, Double, String, String, Date, Date).self)
        return KnowledgeShare(
            id: id, targetCollectiveID: target, sourceCollectiveID: source, sourceLabel: label, crossTenant: crossTenant,
            score: score, status: KnowledgeShare.Status(rawValue: status) ?? .suggested, reasons: reasons, createdAt: created,
            updatedAt: updated)
    }
}
