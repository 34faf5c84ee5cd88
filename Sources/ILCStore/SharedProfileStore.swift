import Foundation
import PostgresNIO

/// What tenants publish to the knowledge-sharing network, and the one path by which a
/// tenant reads other tenants' publications (`ilc_network_profiles()`, which checks
/// that both sides chose `network`).
public struct SharedProfileStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Replaces the tenant's published profiles of a cycle with `profiles` (all of the
    /// same tenant and cycle); an empty list withdraws them.
    public func publish(tenantID: UUID, cycleID: UUID, profiles: [SharedProfile]) async throws {
        try await database.withTenantTransaction(tenantID) { transaction in
            // One publication at a time per cycle: a second at once would fail on the
            // first's uncommitted rows (same keys) instead of replacing them.
            guard try await transaction.exists(.cycles, id: cycleID, locking: .noKeyUpdate) else { return }
            try await transaction.query("DELETE FROM shared_profiles WHERE cycle_id = \(cycleID)")
            guard !profiles.isEmpty else { return }
            let categories = try profiles.map { String(decoding: try JSONEncoder().encode($0.evidenceCategories), as: UTF8.self) }
            try await transaction.query(
                """
                INSERT INTO shared_profiles (tenant_id, collective_id, cycle_id, theme_key, problem_of_practice, theory_of_action,
                    indicators, evidence_categories)
                SELECT \(tenantID), collective_id, \(cycleID), nullif(theme_key, ''), problem, theory, indicators::jsonb,
                    ARRAY(SELECT jsonb_array_elements_text(categories::jsonb))
                FROM unnest(\(profiles.map(\.collectiveID))::uuid[], \(profiles.map { $0.themeKey ?? "" })::text[],
                    \(profiles.map(\.problemOfPractice))::text[], \(profiles.map(\.theoryOfAction))::text[],
                    \(profiles.map(\.indicators))::text[], \(categories)::text[])
                    AS given (collective_id, theme_key, problem, theory, indicators, categories)
                """)
        }
    }

    /// The tenant's own published profiles of a cycle.
    public func published(tenantID: UUID, cycleID: UUID) async throws -> [SharedProfile] {
        try await database.withTenantTransaction(tenantID) { transaction in
            try await transaction.query(
                """
                SELECT tenant_id, NULL::text, collective_id, cycle_id, theme_key, problem_of_practice, theory_of_action,
                    indicators::text, evidence_categories
                FROM shared_profiles WHERE cycle_id = \(cycleID) ORDER BY collective_id
                """
            ).map(Self.profile)
        }
    }

    /// Other tenants' publications the tenant may learn from: none unless both it and
    /// the publisher chose `network`.
    public func networkProfiles(tenantID: UUID) async throws -> [SharedProfile] {
        try await database.withTenantTransaction(tenantID) { transaction in
            try await transaction.query(
                """
                SELECT tenant_id, source_label, collective_id, NULL::uuid, theme_key, problem_of_practice, theory_of_action,
                    indicators::text, evidence_categories
                FROM ilc_network_profiles()
                """
            ).map(Self.profile)
        }
    }

    private static func profile(_ row: PostgresRow) throws -> SharedProfile {
        let (tenant, label, collective, cycle, theme, problem, theory, indicators, categories) =
            try row.decode((UUID, String?, UUID, UUID?, String?, String, String, String, [String]).self)
        return SharedProfile(
            tenantID: tenant, collectiveID: collective, cycleID: cycle, themeKey: theme, problemOfPractice: problem,
            theoryOfAction: theory, indicators: indicators, evidenceCategories: categories, sourceLabel: label)
    }
}
