import Foundation
import PostgresNIO

/// A cycle's themes and the facilitators' curation of them (rename, approve, merge),
/// always inside the tenant's transaction.
public struct ThemeStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public enum Refusal: Error, Sendable, Equatable {
        case notFound
        /// Merging a theme into itself.
        case sameTheme
        /// The themes belong to different cycles.
        case differentCycles
    }

    static let columns = """
        t.id, t.cycle_id, t.label, t.catalog_key, t.keywords, t.size, t.cohesion, t.quotes::text, t.approved_at,
        t.created_at, t.updated_at
        """

    /// Largest first; nil when the tenant has no such cycle.
    public func list(tenantID: UUID, cycleID: UUID) async throws -> [Theme]? {
        try await database.withTenantSnapshot(tenantID) { transaction in
            guard try await transaction.exists(.cycles, id: cycleID) else { return nil }
            return try await transaction.query(
                "SELECT \(unescaped: Self.columns) FROM themes t WHERE t.cycle_id = \(cycleID) ORDER BY t.size DESC, t.id"
            ).map(Self.theme)
        }
    }

    /// Renames and/or approves (true) or withdraws approval (false); nil leaves a field.
    public func update(tenantID: UUID, id: UUID, label: String?, approved: Bool?) async throws -> Theme? {
        try await database.withTenantTransaction(tenantID) { transaction in
            try await transaction.query(
                """
                UPDATE themes t SET label = coalesce(\(label), t.label),
                    approved_at = CASE WHEN \(approved)::boolean IS NULL THEN t.approved_at
                                       WHEN \(approved)::boolean THEN coalesce(t.approved_at, now()) END,
                    updated_at = now()
                WHERE t.id = \(id)
                RETURNING \(unescaped: Self.columns)
                """
            ).first.map(Self.theme)
        }
    }

    /// Moves everything of `sourceID` to `targetID` (same cycle) and deletes the source:
    /// assignments, collectives, ranked preferences, size and keywords.
    public func merge(tenantID: UUID, sourceID: UUID, into targetID: UUID) async throws -> Theme {
        guard sourceID != targetID else { throw Refusal.sameTheme }
        return try await database.withTenantTransaction(tenantID) { transaction in
            // Both rows locked, in id order so that two opposite merges cannot deadlock.
            let locked = try await transaction.query(
                "SELECT id, cycle_id FROM themes WHERE id IN (\(sourceID), \(targetID)) ORDER BY id FOR UPDATE")
            let cycles = Dictionary(uniqueKeysWithValues: try locked.map { try $0.decode((UUID, UUID).self) })
            guard let sourceCycle = cycles[sourceID], let targetCycle = cycles[targetID] else { throw Refusal.notFound }
            guard sourceCycle == targetCycle else { throw Refusal.differentCycles }
            let (source, target) = (sourceID.uuidString.lowercased(), targetID.uuidString.lowercased())
            try await transaction.query(
                """
                UPDATE theme_assignments SET
                    theme_id = CASE WHEN theme_id = \(sourceID) THEN \(targetID) ELSE theme_id END,
                    second_theme_id = CASE WHEN second_theme_id IN (\(sourceID), \(targetID)) AND theme_id IN (\(sourceID), \(targetID))
                                           THEN NULL
                                           WHEN second_theme_id = \(sourceID) THEN \(targetID) ELSE second_theme_id END
                WHERE theme_id = \(sourceID) OR second_theme_id = \(sourceID)
                """)
            try await transaction.query("UPDATE collectives SET theme_id = \(targetID), updated_at = now() WHERE theme_id = \(sourceID)")
            // A ranked list that named both keeps the better-ranked place only.
            try await transaction.query(
                """
                UPDATE survey_responses s SET theme_preferences = ARRAY(
                    SELECT preference FROM (
                        SELECT CASE WHEN p = \(source) THEN \(target) ELSE p END AS preference, min(position) AS first
                        FROM unnest(s.theme_preferences) WITH ORDINALITY AS ranked (p, position)
                        GROUP BY 1
                    ) merged ORDER BY first),
                    updated_at = now()
                WHERE s.cycle_id = \(sourceCycle) AND \(source) = ANY(s.theme_preferences)
                """)
            try await transaction.query(
                """
                UPDATE themes t SET
                    size = t.size + (SELECT size FROM themes WHERE id = \(sourceID)),
                    keywords = ARRAY(SELECT DISTINCT unnest(t.keywords || (SELECT keywords FROM themes WHERE id = \(sourceID)))
                                     ORDER BY 1),
                    updated_at = now()
                WHERE t.id = \(targetID)
                """)
            try await transaction.query("DELETE FROM themes WHERE id = \(sourceID)")
            guard let merged = try await transaction.query(
                "SELECT \(unescaped: Self.columns) FROM themes t WHERE t.id = \(targetID)"
            ).first.map(Self.theme) else {
                throw Refusal.notFound
            }
            return merged
        }
    }

    static func theme(_ row: PostgresRow) throws -> Theme {
        let (id, cycleID, label, catalogKey, keywords, size, cohesion, quotes, approvedAt, createdAt, updatedAt) = try row.decode(
            (UUID, UUID, String, String?, [String], Int, Double?, String, Date?, Date, Date).self)
        return Theme(
            id: id, cycleID: cycleID, label: label, catalogKey: catalogKey, keywords: keywords, size: size, cohesion: cohesion,
            quotes: try JSONDecoder().decode([Theme.Quote].self, from: Data(quotes.utf8)), approvedAt: approvedAt,
            createdAt: createdAt, updatedAt: updatedAt)
    }
}
