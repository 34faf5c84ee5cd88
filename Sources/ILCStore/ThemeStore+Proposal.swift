import Foundation
import ILCCore
import PostgresNIO

extension ThemeStore {
    public enum ProposalRefusal: Error, Sendable, Equatable {
        case cycleNotFound
        /// Facilitators approved themes of this cycle: a new run would discard their work.
        case approvedThemes(count: Int)
    }

    /// Each response of the cycle with the text theme detection reads: the focus
    /// statement and the improvement goals. Nil when the tenant has no such cycle.
    public func detectionTexts(tenantID: UUID, cycleID: UUID) async throws -> [(responseID: UUID, text: String)]? {
        try await database.withTenantSnapshot(tenantID) { transaction in
            guard try await transaction.exists(.cycles, id: cycleID) else { return nil }
            return try await transaction.query(
                """
                SELECT id, concat_ws(' ', focus_statement, array_to_string(improvement_goals, ' '))
                FROM survey_responses WHERE cycle_id = \(cycleID) ORDER BY id
                """
            ).map { try $0.decode((UUID, String).self) }
        }
    }

    /// Replaces the cycle's themes and assignments with `proposal`, in one transaction;
    /// refused while any theme of the cycle is approved.
    public func replaceProposal(tenantID: UUID, cycleID: UUID, jobID: UUID, proposal: ThemeProposal) async throws {
        try await database.withTenantTransaction(tenantID) { transaction in
            guard try await transaction.exists(.cycles, id: cycleID, locking: .update) else {
                throw ProposalRefusal.cycleNotFound
            }
            let approved = try await transaction.query(
                "SELECT count(*) FROM themes WHERE cycle_id = \(cycleID) AND approved_at IS NOT NULL")[0].decode(Int.self)
            guard approved == 0 else { throw ProposalRefusal.approvedThemes(count: approved) }
            try await transaction.query("DELETE FROM theme_assignments WHERE cycle_id = \(cycleID)")
            try await transaction.query("UPDATE collectives SET theme_id = NULL WHERE cycle_id = \(cycleID)")
            try await transaction.query("DELETE FROM themes WHERE cycle_id = \(cycleID)")
            try await insertThemes(proposal.themes, tenantID: tenantID, cycleID: cycleID, jobID: jobID, in: transaction)
            try await insertAssignments(proposal.assignments, tenantID: tenantID, cycleID: cycleID, in: transaction)
        }
    }

    private func insertThemes(
        _ themes: [ThemeProposal.ProposedTheme], tenantID: UUID, cycleID: UUID, jobID: UUID, in transaction: Transaction
    ) async throws {
        guard !themes.isEmpty else { return }
        let encoder = JSONEncoder()
        let keywords = try themes.map { String(decoding: try encoder.encode($0.keywords), as: UTF8.self) }
        let quotes = try themes.map { String(decoding: try encoder.encode($0.quotes), as: UTF8.self) }
        try await transaction.query(
            """
            INSERT INTO themes (tenant_id, id, cycle_id, label, catalog_key, keywords, size, cohesion, quotes,
                detection_job_id)
            SELECT \(tenantID), id, \(cycleID), label, nullif(catalog_key, ''),
                ARRAY(SELECT jsonb_array_elements_text(keywords::jsonb)), size, cohesion, quotes::jsonb, \(jobID)
            FROM unnest(\(themes.map(\.id))::uuid[], \(themes.map(\.label))::text[],
                \(themes.map { $0.catalogKey ?? "" })::text[], \(keywords)::text[], \(themes.map(\.size))::int4[],
                \(themes.map(\.cohesion))::float8[], \(quotes)::text[])
                AS given (id, label, catalog_key, keywords, size, cohesion, quotes)
            """)
    }

    /// The nil UUID and NaN stand for "none": the array parameters carry no NULLs.
    private func insertAssignments(
        _ assignments: [ThemeProposal.Assignment], tenantID: UUID, cycleID: UUID, in transaction: Transaction
    ) async throws {
        guard !assignments.isEmpty else { return }
        let none = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        try await transaction.query(
            """
            INSERT INTO theme_assignments (tenant_id, response_id, cycle_id, theme_id, score, second_theme_id, second_score)
            SELECT \(tenantID), response_id, \(cycleID), nullif(theme_id, \(none)), score, nullif(second_theme_id, \(none)),
                CASE WHEN second_score = 'NaN' THEN NULL ELSE second_score END
            FROM unnest(\(assignments.map(\.responseID))::uuid[], \(assignments.map { $0.themeID ?? none })::uuid[],
                \(assignments.map(\.score))::float8[], \(assignments.map { $0.secondThemeID ?? none })::uuid[],
                \(assignments.map { $0.secondScore ?? .nan })::float8[])
                AS given (response_id, theme_id, score, second_theme_id, second_score)
            """)
    }
}
