import Foundation
import ILCReports
import PostgresNIO

/// The cycle summary, the tenant overview and the operator's network summary.
extension ReportSourceStore {
    /// nil when the tenant has no such cycle.
    public func cycleSummary(tenantID: UUID, cycleID: UUID) async throws -> (report: CycleSummaryReport, threshold: Int)? {
        try await database.withTenantSnapshot(tenantID) { transaction in
            let heads = try await transaction.query(
                """
                SELECT y.name, y.phase, y.settings::text, n.suppression_threshold
                FROM cycles y JOIN tenants n ON n.id = y.tenant_id WHERE y.id = \(cycleID)
                """)
            guard let head = heads.first else { return nil }
            let (name, phase, settings, tenantThreshold) = try head.decode((String, String, String, Int).self)
            let themes = try await transaction.query(
                """
                SELECT t.label, count(a.response_id)::int FROM themes t LEFT JOIN theme_assignments a ON a.theme_id = t.id
                WHERE t.cycle_id = \(cycleID) GROUP BY t.id, t.label ORDER BY 2 DESC, 1
                """
            ).map { row in
                let (label, participants) = try row.decode((String, Int).self)
                return CycleSummaryReport.Theme(label: label, participants: participants)
            }
            var byPhase: [String: Int] = [:]
            for row in try await transaction.query(
                "SELECT phase, count(*)::int FROM collectives WHERE cycle_id = \(cycleID) GROUP BY phase") {
                let (phase, count) = try row.decode((String, Int).self)
                byPhase[phase] = count
            }
            let participation = try await transaction.query(
                """
                SELECT p.district, p.role, count(*)::int FROM survey_responses s JOIN participants p ON p.id = s.participant_id
                WHERE s.cycle_id = \(cycleID) GROUP BY 1, 2
                """
            ).map { row in
                let (district, role, count) = try row.decode((String, String, Int).self)
                return CycleSummaryReport.Participation(district: district, role: role, participants: count)
            }
            let indicators = try await transaction.query(
                """
                SELECT c.name, i.name, i.direction, i.baseline, i.target, l.value, l.sample_size
                FROM indicators i JOIN collectives c ON c.id = i.collective_id
                LEFT JOIN LATERAL (SELECT e.value, e.sample_size FROM evidence e
                                   WHERE e.indicator_id = i.id AND e.value IS NOT NULL
                                   ORDER BY e.observed_on DESC, e.created_at DESC LIMIT 1) l ON true
                WHERE c.cycle_id = \(cycleID) ORDER BY c.name, i.position, i.id
                """
            ).map { row in
                let (collective, indicator, direction, baseline, target, latest, sampleSize) =
                    try row.decode((String, String, String, Double?, Double?, Double?, Int?).self)
                return CycleSummaryReport.IndicatorStatus(
                    collective: collective, indicator: indicator,
                    progress: IndicatorProgress.of(
                        baseline: baseline, target: target, latest: latest, decreaseIsProgress: direction == "decrease"),
                    sampleSize: sampleSize)
            }
            let report = CycleSummaryReport(
                cycle: name, phase: phase, themes: themes, collectivesByPhase: byPhase, participation: participation,
                indicators: indicators)
            return (report, try Self.threshold(tenant: tenantThreshold, cycleSettings: settings))
        }
    }

    public func tenantOverview(tenantID: UUID) async throws -> (report: TenantOverviewReport, threshold: Int) {
        try await database.withTenantSnapshot(tenantID) { transaction in
            let heads = try await transaction.query("SELECT name, suppression_threshold FROM tenants WHERE id = \(tenantID)")
            guard let (tenant, threshold) = try heads.first?.decode((String, Int).self) else {
                throw StoreError.notFound("tenant \(tenantID)")
            }
            let cycles = try await transaction.query(
                """
                WITH latest AS (
                    SELECT DISTINCT ON (e.indicator_id) e.indicator_id, e.value FROM evidence e WHERE e.value IS NOT NULL
                    ORDER BY e.indicator_id, e.observed_on DESC, e.created_at DESC
                )
                SELECT y.name, y.phase,
                    (SELECT count(*)::int FROM survey_responses s WHERE s.cycle_id = y.id),
                    (SELECT count(*)::int FROM collectives c WHERE c.cycle_id = y.id),
                    (SELECT count(*)::int FROM indicators i JOIN collectives c ON c.id = i.collective_id WHERE c.cycle_id = y.id),
                    (SELECT count(*)::int FROM indicators i JOIN collectives c ON c.id = i.collective_id
                     JOIN latest l ON l.indicator_id = i.id
                     WHERE c.cycle_id = y.id AND ilc_indicator_progress(i.direction, i.baseline, i.target, l.value) > 0)
                FROM cycles y ORDER BY y.created_at, y.id
                """
            ).map { row in
                let (name, phase, participants, collectives, indicators, moving) = try row.decode((String, String, Int, Int, Int, Int).self)
                return TenantOverviewReport.Cycle(
                    name: name, phase: phase, participants: participants, collectives: collectives, indicators: indicators,
                    indicatorsMoving: moving)
            }
            return (TenantOverviewReport(tenant: tenant, cycles: cycles), threshold)
        }
    }

    /// Aggregates per tenant across the network (operator scope; counts only).
    public func networkSummary() async throws -> NetworkSummaryReport {
        try await database.withOperatorTransaction { transaction in
            let tenants = try await transaction.query(
                """
                SELECT tenant_name, tenant_kind, sharing, suppression_threshold, cycles::int, collectives::int, participants::int,
                    indicators::int, indicators_moving::int
                FROM ilc_network_summary()
                """
            ).map { row in
                let (name, kind, sharing, threshold, cycles, collectives, participants, indicators, moving) =
                    try row.decode((String, String, String, Int, Int, Int, Int, Int, Int).self)
                return NetworkSummaryReport.Tenant(
                    name: name, kind: kind, sharing: sharing, suppressionThreshold: threshold, cycles: cycles, collectives: collectives,
                    participants: participants, indicators: indicators, indicatorsMoving: moving)
            }
            return NetworkSummaryReport(tenants: tenants)
        }
    }
}
