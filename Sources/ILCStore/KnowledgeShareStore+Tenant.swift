import Foundation
import PostgresNIO

/// What the knowledge-sharing job reads of the whole tenant, once per run whatever the
/// number of cycles: the names its publications must lose, and how its people judged
/// earlier suggestions.
extension KnowledgeShareStore {
    /// Every person, school and district name the tenant's participants carry.
    public func knownNames(tenantID: UUID) async throws -> [(name: String, kind: SharingSource.NameKind)] {
        try await database.withTenantTransaction(tenantID) { transaction in
            try await transaction.query(
                """
                SELECT name, 'person' FROM participants
                UNION SELECT school, 'school' FROM participants WHERE school IS NOT NULL
                UNION SELECT district, 'district' FROM participants
                """
            ).compactMap { row -> (name: String, kind: SharingSource.NameKind)? in
                let (name, kind) = try row.decode((String, String).self)
                return SharingSource.NameKind(rawValue: kind).map { (name, $0) }
            }
        }
    }

    /// The tenant's marks on suggestions, every cycle's, by source collective.
    public func marks(tenantID: UUID) async throws -> [UUID: SharingSource.Marks] {
        try await database.withTenantTransaction(tenantID) { transaction in
            var marks: [UUID: SharingSource.Marks] = [:]
            let counted = try await transaction.query(
                """
                SELECT source_collective_id, count(*) FILTER (WHERE status = 'accepted'),
                    count(*) FILTER (WHERE status = 'dismissed')
                FROM knowledge_shares WHERE status <> 'suggested' GROUP BY source_collective_id
                """)
            for row in counted {
                let (source, accepted, dismissed) = try row.decode((UUID, Int, Int).self)
                marks[source] = SharingSource.Marks(accepted: accepted, dismissed: dismissed)
            }
            return marks
        }
    }
}
