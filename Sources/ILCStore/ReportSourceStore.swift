import Foundation
import ILCCore
import ILCReports
import PostgresNIO

/// What each kind of report is made from, read in one tenant transaction per report
/// (a consistent snapshot), with the suppression threshold that applies to it: the
/// larger of the tenant's and, for a cycle's reports, the cycle's.
public struct ReportSourceStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// nil when the tenant has no such collective.
    public func collectiveProgress(
        tenantID: UUID, collectiveID: UUID
    ) async throws -> (report: CollectiveProgressReport, cycleID: UUID, threshold: Int)? {
        try await database.withTenantSnapshot(tenantID) { transaction in
            let heads = try await transaction.query(
                """
                SELECT c.name, y.name, y.id, y.settings::text, t.label, c.phase, coalesce(p.problem_of_practice, ''),
                    coalesce(p.theory_of_action, ''), n.suppression_threshold
                FROM collectives c JOIN cycles y ON y.id = c.cycle_id JOIN tenants n ON n.id = c.tenant_id
                LEFT JOIN themes t ON t.id = c.theme_id LEFT JOIN placemats p ON p.collective_id = c.id
                WHERE c.id = \(collectiveID)
                """)
            guard let head = heads.first else { return nil }
            let (name, cycle, cycleID, settings, theme, phase, problem, theory, tenantThreshold) =
                try head.decode((String, String, UUID, String, String?, String, String, String, Int).self)
            let evidence = try await transaction.query(
                """
                SELECT e.indicator_id, e.observed_on::text, e.category, i.name, e.value, e.sample_size, e.summary
                FROM evidence e JOIN indicators i ON i.id = e.indicator_id
                WHERE e.collective_id = \(collectiveID)
                ORDER BY e.observed_on, e.created_at, e.id
                """
            ).map { try $0.decode((UUID, String, String, String, Double?, Int?, String).self) }
            var observations: [UUID: [CollectiveProgressReport.Observation]] = [:]
            for (indicator, date, _, _, value, sampleSize, _) in evidence {
                if let value { observations[indicator, default: []].append(.init(date: date, value: value, sampleSize: sampleSize)) }
            }
            let indicators = try await transaction.query(
                """
                SELECT id, name, kind, direction, baseline, baseline_on::text, target FROM indicators
                WHERE collective_id = \(collectiveID) ORDER BY position, id
                """
            ).map { row in
                let (id, name, kind, direction, baseline, baselineOn, target) =
                    try row.decode((UUID, String, String, String, Double?, String?, Double?).self)
                return CollectiveProgressReport.Indicator(
                    name: name, kind: kind, decreaseIsProgress: direction == "decrease", baseline: baseline, baselineOn: baselineOn,
                    target: target, observations: observations[id] ?? [])
            }
            let reflections = try await transaction.query(
                """
                SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), phase, went_well, did_not_go_well, adjustments
                FROM reflections WHERE collective_id = \(collectiveID) ORDER BY created_at, id
                """
            ).map { row in
                let (date, phase, wentWell, didNotGoWell, adjustments) = try row.decode((String, String, String, String, String).self)
                return CollectiveProgressReport.Reflection(
                    date: date, phase: phase, wentWell: wentWell, didNotGoWell: didNotGoWell, adjustments: adjustments)
            }
            let shares = try await transaction.query(
                """
                SELECT coalesce(source_label, 'A collective elsewhere'), score, status, reasons->>'shared_theme'
                FROM knowledge_shares WHERE target_collective_id = \(collectiveID) ORDER BY score DESC, id
                """
            ).map { row in
                let (source, score, status, theme) = try row.decode((String, Double, String, String?).self)
                return CollectiveProgressReport.Share(source: source, score: score, status: status, sharedTheme: theme)
            }
            let report = CollectiveProgressReport(
                cycle: cycle, collective: name, theme: theme, phase: phase, problemOfPractice: problem, theoryOfAction: theory,
                indicators: indicators,
                evidence: evidence.map { _, date, category, indicator, value, sampleSize, summary in
                    .init(observedOn: date, category: category, indicator: indicator, value: value, sampleSize: sampleSize, summary: summary)
                },
                reflections: reflections, shares: shares)
            return (report, cycleID, try Self.threshold(tenant: tenantThreshold, cycleSettings: settings))
        }
    }

    /// The threshold of a cycle's reports: the larger of the tenant's and the cycle's.
    static func threshold(tenant: Int, cycleSettings: String) throws -> Int {
        try CycleSettings(storedJSON: cycleSettings).suppressionThreshold(under: tenant)
    }
}
