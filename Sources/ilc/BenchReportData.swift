import Foundation
import ILCStore

/// A benchmark tenant's cycle with collectives that each have a placemat, two
/// indicators and evidence on both, written in a few set-based statements.
enum BenchReportData {
    /// The collectives' ids.
    static func seed(_ database: Database, tenantID: UUID, collectives: Int, evidence: Int) async throws -> [UUID] {
        try await database.withTenantTransaction(tenantID) { transaction in
            let cycle = UUID()
            try await transaction.query("INSERT INTO cycles (tenant_id, id, name) VALUES (\(tenantID), \(cycle), 'Benchmark cycle')")
            let ids = try await transaction.query(
                """
                INSERT INTO collectives (tenant_id, id, cycle_id, name, phase)
                SELECT \(tenantID), gen_random_uuid(), \(cycle), 'Collective ' || g, 'collecting_evidence'
                FROM generate_series(1, \(collectives)) g
                RETURNING id
                """
            ).map { try $0.decode(UUID.self) }
            try await transaction.query(
                """
                INSERT INTO placemats (tenant_id, collective_id, problem_of_practice, theory_of_action)
                SELECT tenant_id, id, 'Chronic absenteeism in grades 6 to 8 keeps students from learning',
                    'If every absent student''s family gets a call the same morning, attendance rises and so does learning'
                FROM collectives WHERE cycle_id = \(cycle)
                """)
            try await transaction.query(
                """
                INSERT INTO indicators (tenant_id, id, collective_id, kind, name, direction, baseline, baseline_on, target, position)
                SELECT c.tenant_id, gen_random_uuid(), c.id, k.kind, k.name, k.direction, k.baseline, date '2026-09-01', k.target, k.position
                FROM collectives c CROSS JOIN (VALUES
                    ('lagging', 'Average daily attendance', 'increase', 80.0, 95.0, 0),
                    ('leading', 'Chronic absence rate', 'decrease', 20.0, 10.0, 1)) AS k (kind, name, direction, baseline, target, position)
                WHERE c.cycle_id = \(cycle)
                """)
            try await transaction.query(
                """
                INSERT INTO evidence (tenant_id, id, collective_id, indicator_id, category, observed_on, value, sample_size, summary)
                SELECT i.tenant_id, gen_random_uuid(), i.collective_id, i.id,
                    (ARRAY['demographics', 'perceptions', 'student_learning', 'school_processes'])[1 + g % 4],
                    date '2026-09-01' + (g * 3)::int, i.baseline + (CASE i.direction WHEN 'increase' THEN 1 ELSE -1 END) * g * 0.2,
                    CASE WHEN g % 9 = 0 THEN 4 ELSE 100 + g END, 'Weekly check ' || g
                FROM indicators i JOIN collectives c ON c.id = i.collective_id CROSS JOIN generate_series(1, \(evidence / 2)) g
                WHERE c.cycle_id = \(cycle)
                """)
            return ids
        }
    }
}
