import Foundation
import ILCCore
import PostgresNIO

/// Collectives' evidence and reflections, always inside the tenant's transaction.
public struct EvidenceStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public enum Refusal: Error, Sendable, Equatable {
        case notFound
        /// Records (by position) whose indicator is not one of the collective's.
        case unknownIndicators([Int])
        /// Records (by position) with no category while their indicator has none either.
        case missingCategories([Int])
        /// The author is not a member of the collective.
        case authorNotMember
    }

    /// Stores every record or none, in one statement.
    public func record(tenantID: UUID, collectiveID: UUID, drafts: [EvidenceDraft]) async throws -> [Evidence] {
        try await database.withTenantTransaction(tenantID) { transaction in
            guard try await transaction.exists(.collectives, id: collectiveID, locking: .keyShare) else {
                throw Refusal.notFound
            }
            var categories: [UUID: String?] = [:]
            for row in try await transaction.query(
                "SELECT id, category FROM indicators WHERE collective_id = \(collectiveID) FOR KEY SHARE"
            ) {
                let (id, category) = try row.decode((UUID, String?).self)
                categories[id] = category
            }
            let unknown = drafts.indices.filter { categories[drafts[$0].indicatorID] == nil }
            guard unknown.isEmpty else { throw Refusal.unknownIndicators(unknown) }
            let resolved = drafts.map { $0.category?.rawValue ?? categories[$0.indicatorID] ?? nil }
            let missing = drafts.indices.filter { resolved[$0] == nil }
            guard missing.isEmpty else { throw Refusal.missingCategories(missing) }
            // Empty strings, NaN and -1 stand for "not given": the array parameters carry no NULLs.
            let rows = try await transaction.query(
                """
                INSERT INTO evidence AS e (tenant_id, id, collective_id, indicator_id, category, observed_on, value,
                    sample_size, summary, source)
                SELECT \(tenantID), id, \(collectiveID), indicator_id, category, observed_on::date,
                    CASE WHEN value = 'NaN' THEN NULL ELSE value END, nullif(sample_size, -1), note, nullif(source, '')
                FROM unnest(\(TimeOrderedID.ascending(drafts.count))::uuid[], \(drafts.map(\.indicatorID))::uuid[],
                    \(resolved.map { $0 ?? "" })::text[], \(drafts.map(\.observedOn))::text[],
                    \(drafts.map { $0.value ?? .nan })::float8[],
                    \(drafts.map { $0.sampleSize ?? -1 })::int4[], \(drafts.map(\.note))::text[],
                    \(drafts.map { $0.source ?? "" })::text[])
                    WITH ORDINALITY AS given (id, indicator_id, category, observed_on, value, sample_size, note,
                        source, position)
                ORDER BY position
                RETURNING \(unescaped: Self.evidenceColumns)
                """)
            return try rows.map(Self.evidence)
        }
    }

    /// Newest first, strictly before `cursor`; nil when the tenant has no such collective.
    public func list(
        tenantID: UUID, collectiveID: UUID, filter: EvidenceFilter, before cursor: UUID?, limit: Int
    ) async throws -> [Evidence]? {
        try await database.withTenantSnapshot(tenantID) { transaction in
            guard try await transaction.exists(.collectives, id: collectiveID) else {
                return nil
            }
            return try await transaction.query(
                """
                SELECT \(unescaped: Self.evidenceColumns) FROM evidence e
                WHERE e.collective_id = \(collectiveID) AND (\(cursor)::uuid IS NULL OR e.id < \(cursor))
                    AND (\(filter.category?.rawValue)::text IS NULL OR e.category = \(filter.category?.rawValue))
                    AND (\(filter.indicatorID)::uuid IS NULL OR e.indicator_id = \(filter.indicatorID))
                    AND (\(filter.from)::date IS NULL OR e.observed_on >= \(filter.from)::date)
                    AND (\(filter.to)::date IS NULL OR e.observed_on <= \(filter.to)::date)
                ORDER BY e.id DESC LIMIT \(limit)
                """
            ).map(Self.evidence)
        }
    }

    /// Records a reflection; `phase` nil takes the collective's current phase.
    public func reflect(
        tenantID: UUID, collectiveID: UUID, phase: CyclePhase?, wentWell: String, didNotGoWell: String, nextSteps: String,
        author: UUID?
    ) async throws -> Reflection {
        try await database.withTenantTransaction(tenantID) { transaction in
            guard let current = try await transaction.query(
                "SELECT phase FROM collectives WHERE id = \(collectiveID) FOR KEY SHARE"
            ).first.map({ try $0.decode(String.self) }) else {
                throw Refusal.notFound
            }
            if let author, try await transaction.query(
                "SELECT 1 FROM memberships WHERE collective_id = \(collectiveID) AND participant_id = \(author)"
            ).isEmpty {
                throw Refusal.authorNotMember
            }
            let rows = try await transaction.query(
                """
                INSERT INTO reflections AS r (tenant_id, id, collective_id, phase, went_well, did_not_go_well, adjustments,
                    author_participant_id)
                VALUES (\(tenantID), \(TimeOrderedID.make()), \(collectiveID), \(phase?.rawValue ?? current), \(wentWell),
                    \(didNotGoWell), \(nextSteps), \(author))
                RETURNING \(unescaped: Self.reflectionColumns)
                """)
            return try Self.reflection(rows[0])
        }
    }

    /// Newest first, strictly before `cursor`; nil when the tenant has no such collective.
    public func reflections(
        tenantID: UUID, collectiveID: UUID, phase: CyclePhase?, before cursor: UUID?, limit: Int
    ) async throws -> [Reflection]? {
        try await database.withTenantSnapshot(tenantID) { transaction in
            guard try await transaction.exists(.collectives, id: collectiveID) else {
                return nil
            }
            return try await transaction.query(
                """
                SELECT \(unescaped: Self.reflectionColumns) FROM reflections r
                WHERE r.collective_id = \(collectiveID) AND (\(cursor)::uuid IS NULL OR r.id < \(cursor))
                    AND (\(phase?.rawValue)::text IS NULL OR r.phase = \(phase?.rawValue))
                ORDER BY r.id DESC LIMIT \(limit)
                """
            ).map(Self.reflection)
        }
    }

    static let evidenceColumns = """
        e.id, e.collective_id, e.indicator_id, e.category, to_char(e.observed_on, 'YYYY-MM-DD'), e.value, e.sample_size,
        e.summary, e.source, e.created_at
        """

    static let reflectionColumns = """
        r.id, r.collective_id, r.phase, r.went_well, r.did_not_go_well, r.adjustments, r.author_participant_id, r.created_at
        """

    static func evidence(_ row: PostgresRow) throws -> Evidence {
        let (id, collectiveID, indicatorID, category, observedOn, value, sampleSize, note, source, createdAt) = try row.decode(
            (UUID, UUID, UUID, String, String, Double?, Int?, String, String?, Date).self)
        guard let evidenceCategory = EvidenceCategory(rawValue: category) else {
            throw StoreError.corrupt("evidence \(id) has category '\(category)'")
        }
        return Evidence(
            id: id, collectiveID: collectiveID, indicatorID: indicatorID, category: evidenceCategory, value: value,
            sampleSize: sampleSize, observedOn: observedOn, note: note, source: source, createdAt: createdAt)
    }

    static func reflection(_ row: PostgresRow) throws -> Reflection {
        let (id, collectiveID, phase, wentWell, didNotGoWell, nextSteps, author, createdAt) = try row.decode(
            (UUID, UUID, String, String, String, String, UUID?, Date).self)
        guard let reflectionPhase = CyclePhase(rawValue: phase) else {
            throw StoreError.corrupt("reflection \(id) has phase '\(phase)'")
        }
        return Reflection(
            id: id, collectiveID: collectiveID, phase: reflectionPhase, wentWell: wentWell, didNotGoWell: didNotGoWell,
            nextSteps: nextSteps, authorParticipantID: author, createdAt: createdAt)
    }
}
