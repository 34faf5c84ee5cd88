import Foundation
import ILCStore
import PostgresNIO

/// One row in every tenant table for one tenant. The isolation audit finds tenant
/// tables from the catalog and fails for any table this fixture leaves empty, so a
/// new table cannot slip past the audit unseen: extend the fixture with it.
enum TenantFixture {
    static func seed(_ tenantID: UUID, in database: Database) async throws {
        let cycle = UUID(), participant = UUID(), response = UUID(), theme = UUID(), collective = UUID()
        let indicator = UUID(), endpoint = UUID(), delivery = UUID()
        let digest = Data(repeating: 7, count: 32)
        try await database.withTenantTransaction(tenantID) { transaction in
            let statements: [PostgresQuery] = try [
                """
                INSERT INTO api_keys (tenant_id, id, name, secret_hash, scopes)
                VALUES (\(tenantID), \(UUID()), 'fixture', \(digest), ARRAY['read'])
                """,
                "INSERT INTO cycles (tenant_id, id, name) VALUES (\(tenantID), \(cycle), '2026–27 statewide')",
                """
                INSERT INTO participants (tenant_id, id, external_id, name, role, district)
                VALUES (\(tenantID), \(participant), 'educator-1', 'Pat Rivera', 'principal', 'Rural District 4')
                """,
                """
                INSERT INTO survey_responses (tenant_id, id, cycle_id, participant_id, focus_statement)
                VALUES (\(tenantID), \(response), \(cycle), \(participant), 'Chronic absenteeism in grades 6–8')
                """,
                "INSERT INTO themes (tenant_id, id, cycle_id, label) VALUES (\(tenantID), \(theme), \(cycle), 'Attendance')",
                """
                INSERT INTO theme_assignments (tenant_id, response_id, cycle_id, theme_id, score)
                VALUES (\(tenantID), \(response), \(cycle), \(theme), 0.8)
                """,
                """
                INSERT INTO collectives (tenant_id, id, cycle_id, theme_id, name)
                VALUES (\(tenantID), \(collective), \(cycle), \(theme), 'Attendance collective 1')
                """,
                """
                INSERT INTO memberships (tenant_id, collective_id, participant_id, cycle_id)
                VALUES (\(tenantID), \(collective), \(participant), \(cycle))
                """,
                """
                INSERT INTO placemats (tenant_id, collective_id, problem_of_practice, theory_of_action)
                VALUES (\(tenantID), \(collective), 'Students miss school', 'If we call home on day one, then attendance rises')
                """,
                """
                INSERT INTO indicators (tenant_id, id, collective_id, kind, name)
                VALUES (\(tenantID), \(indicator), \(collective), 'lagging', 'Chronic absence rate')
                """,
                """
                INSERT INTO evidence (tenant_id, collective_id, indicator_id, category, observed_on, value)
                VALUES (\(tenantID), \(collective), \(indicator), 'demographics', current_date, 18.5)
                """,
                """
                INSERT INTO reflections (tenant_id, collective_id, phase, went_well)
                VALUES (\(tenantID), \(collective), 'reviewing_progress', 'Calls reached most families')
                """,
                """
                INSERT INTO knowledge_shares (tenant_id, target_collective_id, source_collective_id, score)
                VALUES (\(tenantID), \(collective), \(UUID()), 0.5)
                """,
                """
                INSERT INTO shared_profiles (tenant_id, collective_id, cycle_id, theme_key, problem_of_practice)
                VALUES (\(tenantID), \(collective), \(cycle), 'attendance', 'Students at [school] miss school')
                """,
                """
                INSERT INTO reports (tenant_id, kind, format, content_type, content, size_bytes, sha256)
                VALUES (\(tenantID), 'cycle_summary', 'json', 'application/json', \(Data("{}".utf8)), 2, \(digest))
                """,
                "INSERT INTO jobs (tenant_id, id, type) VALUES (\(tenantID), \(UUID()), 'theme-detection')",
                """
                INSERT INTO idempotency_keys (tenant_id, key, method, path, request_fingerprint)
                VALUES (\(tenantID), \(UUID().uuidString), 'POST', '/v1/cycles', \(digest))
                """,
                """
                INSERT INTO webhook_endpoints (tenant_id, id, url, secret, event_types)
                VALUES (\(tenantID), \(endpoint), 'https://partner.example/hooks', 'whsec_fixture', '{job.succeeded}')
                """,
                """
                INSERT INTO webhook_deliveries (tenant_id, id, endpoint_id, event_id, event_type, payload)
                VALUES (\(tenantID), \(delivery), \(endpoint), 'evt_1', 'job.succeeded', '{}'::jsonb)
                """,
                """
                INSERT INTO webhook_attempts (tenant_id, delivery_id, attempt, started_at, duration_ms, status_code)
                VALUES (\(tenantID), \(delivery), 1, now(), 12, 500)
                """,
            ]
            for statement in statements {
                try await transaction.execute(statement)
            }
        }
    }
}
