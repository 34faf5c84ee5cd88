import Foundation

/// Sample reports of every kind, for previews (`ilc report sample`), benchmarks and
/// tests, with cells on both sides of the threshold (10): the value 77.77 is about 4
/// people and the South district's teachers are 3, so neither may ever show.
public enum SampleReports {
    public static let hiddenValue = 77.77

    /// `rows` pieces of evidence over a school year, oldest first.
    public static func collective(evidence rows: Int = 12) -> CollectiveProgressReport {
        let attendance = CollectiveProgressReport.Indicator(
            name: "Average daily attendance", kind: "lagging", decreaseIsProgress: false, baseline: 80, baselineOn: "2026-09-01",
            target: 95,
            observations: [
                .init(date: "2026-10-01", value: 83, sampleSize: 120), .init(date: "2026-11-01", value: hiddenValue, sampleSize: 4),
                .init(date: "2026-12-01", value: 88.5, sampleSize: 118),
            ])
        let absences = CollectiveProgressReport.Indicator(
            name: "Chronic absence rate <grades 6–8> & \"others\"", kind: "leading", decreaseIsProgress: true, baseline: 20,
            baselineOn: nil, target: 10, observations: [.init(date: "2026-11-15", value: 15, sampleSize: 60)])
        let categories = ["demographics", "perceptions", "student_learning", "school_processes"]
        return CollectiveProgressReport(
            cycle: "2026–27", collective: "Attendance 1", theme: "Attendance", phase: "collecting_evidence",
            problemOfPractice: "Chronic absenteeism in grades 6 to 8", theoryOfAction: "If we call families every morning, then attendance rises",
            indicators: [attendance, absences],
            evidence: (0..<rows).map { index in
                .init(
                    observedOn: day(index, of: rows), category: categories[index % 4],
                    indicator: attendance.name, value: index == 1 ? hiddenValue : Double(80 + index % 10),
                    sampleSize: index == 1 ? 4 : 100, summary: "=HYPERLINK(\"x\") survey, row \(index)")
            },
            reflections: [.init(date: "2026-11-20", phase: "collecting_evidence", wentWell: "Calls", didNotGoWell: "Texts", adjustments: "Both")],
            shares: [.init(source: "State of Example", score: 0.71, status: "suggested", sharedTheme: "attendance")])
    }

    public static func cycle() -> CycleSummaryReport {
        CycleSummaryReport(
            cycle: "2026–27", phase: "reviewing_progress",
            themes: [.init(label: "Attendance", participants: 40), .init(label: "Literacy", participants: 6)],
            collectivesByPhase: ["collecting_evidence": 3, "reviewing_progress": 2],
            participation: [
                .init(district: "North", role: "teacher", participants: 20), .init(district: "North", role: "principal", participants: 12),
                .init(district: "South", role: "teacher", participants: 3), .init(district: "South", role: "principal", participants: 11),
                .init(district: "East", role: "teacher", participants: 14), .init(district: "East", role: "principal", participants: 15),
            ],
            indicators: [
                .init(collective: "Attendance 1", indicator: "Attendance", progress: 0.5, sampleSize: 120),
                .init(collective: "Literacy 1", indicator: "Reading", progress: hiddenValue / 100, sampleSize: 4),
            ])
    }

    public static func tenant() -> TenantOverviewReport {
        TenantOverviewReport(tenant: "State of Example", cycles: [
            .init(name: "2025–26", phase: "sharing_knowledge", participants: 120, collectives: 14, indicators: 30, indicatorsMoving: 21),
            .init(name: "2026–27", phase: "collecting_evidence", participants: 7, collectives: 1, indicators: 2, indicatorsMoving: 1),
            .init(name: "Pilot", phase: "gathering_themes", participants: 40, collectives: 0, indicators: 0, indicatorsMoving: 0),
        ])
    }

    public static func network() -> NetworkSummaryReport {
        NetworkSummaryReport(tenants: [
            .init(name: "State of Example", kind: "state", sharing: "network", suppressionThreshold: 10, cycles: 3, collectives: 15,
                  participants: 167, indicators: 32, indicatorsMoving: 22),
            .init(name: "Northern Province", kind: "province", sharing: "within_tenant", suppressionThreshold: 10, cycles: 1,
                  collectives: 1, participants: 6, indicators: 2, indicatorsMoving: 0),
            .init(name: "Lakes Consortium", kind: "consortium", sharing: "network", suppressionThreshold: 10, cycles: 2, collectives: 8,
                  participants: 74, indicators: 16, indicatorsMoving: 9),
        ])
    }

    /// Spreads `count` dates over September to June, in order.
    static func day(_ index: Int, of count: Int) -> String {
        let start = Date(timeIntervalSince1970: 1_788_220_800)  // 2026-09-01
        let offset = Double(index) * 300 * 86_400 / Double(max(count, 1))
        return start.addingTimeInterval(offset).formatted(.iso8601.year().month().day())
    }

    public static func documents() -> [ReportDocument] {
        [
            collective().document(generatedAt: "2026-11-29T12:00:00Z", suppressionThreshold: 10),
            cycle().document(generatedAt: "2026-11-29T12:00:00Z", suppressionThreshold: 10),
            tenant().document(generatedAt: "2026-11-29T12:00:00Z", suppressionThreshold: 10),
            network().document(generatedAt: "2026-11-29T12:00:00Z"),
        ]
    }
}
