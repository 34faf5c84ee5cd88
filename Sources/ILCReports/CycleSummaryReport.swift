/// A cycle at a glance: its themes and how many people each drew, its collectives by
/// phase, participation by role and district (with totals, so complementary
/// suppression matters here), and which indicators move toward their targets.
public struct CycleSummaryReport: Sendable {
    public struct Theme: Sendable, Equatable {
        public var label: String
        public var participants: Int

        public init(label: String, participants: Int) {
            self.label = label
            self.participants = participants
        }
    }

    public struct Participation: Sendable, Equatable {
        public var district: String
        public var role: String
        public var participants: Int

        public init(district: String, role: String, participants: Int) {
            self.district = district
            self.role = role
            self.participants = participants
        }
    }

    public struct IndicatorStatus: Sendable, Equatable {
        public var collective: String
        public var indicator: String
        /// Share of the way from baseline to target (relative change without one).
        public var progress: Double?
        public var sampleSize: Int?

        public init(collective: String, indicator: String, progress: Double?, sampleSize: Int?) {
            self.collective = collective
            self.indicator = indicator
            self.progress = progress
            self.sampleSize = sampleSize
        }
    }

    public var cycle: String
    public var phase: String
    public var themes: [Theme]
    /// Collectives per phase code.
    public var collectivesByPhase: [String: Int]
    public var participation: [Participation]
    public var indicators: [IndicatorStatus]

    public init(
        cycle: String, phase: String, themes: [Theme], collectivesByPhase: [String: Int], participation: [Participation],
        indicators: [IndicatorStatus]
    ) {
        self.cycle = cycle
        self.phase = phase
        self.themes = themes
        self.collectivesByPhase = collectivesByPhase
        self.participation = participation
        self.indicators = indicators
    }

    public func document(generatedAt: String, suppressionThreshold: Int) -> ReportDocument {
        let moving = indicators.filter { ($0.progress ?? 0) > 0 && ($0.sampleSize ?? suppressionThreshold) >= suppressionThreshold }
        return ReportDocument(
            kind: .cycleSummary, title: "\(cycle): cycle summary", subtitle: "Phase \(ReportWording.phase(phase))",
            generatedAt: generatedAt, suppressionThreshold: suppressionThreshold,
            sections: [
                themeSection, collectiveSection, participationSection,
                ReportSection(
                    id: "indicators", heading: "Indicators",
                    facts: [.init("Moving toward target", "\(moving.count) of \(indicators.count) indicators")],
                    tables: [ReportTable(
                        id: "indicators", caption: "Each collective's indicators, furthest toward target first",
                        columns: [
                            .init("collective", "Collective"), .init("indicator", "Indicator"),
                            .init("progress", "Toward target (%)", numeric: true),
                        ],
                        rows: indicators.sorted { ($0.progress ?? -.infinity) > ($1.progress ?? -.infinity) }.map { status in
                            [
                                .text(status.collective), .text(status.indicator),
                                status.progress.map { .number($0 * 100, sampleSize: status.sampleSize) } ?? .missing,
                            ]
                        })]),
            ])
    }

    private var themeSection: ReportSection {
        .barChart(
            id: "themes", heading: "Themes", title: "Participants by theme",
            summary: "How many participants each theme drew; small groups are left out.",
            label: .init("theme", "Theme"), value: .init("participants", "Participants", numeric: true),
            rows: themes.map { (.text($0.label), .count($0.participants)) })
    }

    private var collectiveSection: ReportSection {
        .barChart(
            id: "collectives", heading: "Collectives by phase", title: "Collectives by phase",
            summary: "How many collectives are in each of the six phases.",
            label: .init("phase", "Phase"), value: .init("collectives", "Collectives", numeric: true),
            rows: ReportWording.phases.map { (.text(ReportWording.phase($0)), .number(Double(collectivesByPhase[$0] ?? 0), sampleSize: nil)) })
    }

    private var participationSection: ReportSection {
        let roles = Array(Set(participation.map(\.role))).sorted()
        let districts = Array(Set(participation.map(\.district))).sorted()
        var counts: [String: [String: Int]] = [:]
        for entry in participation { counts[entry.district, default: [:]][entry.role, default: 0] += entry.participants }
        var rows: [[ReportCell]] = districts.map { district in
            let byRole = roles.map { counts[district]?[$0] ?? 0 }
            return [.text(district)] + byRole.map { .count($0) } + [.count(byRole.reduce(0, +))]
        }
        let columnTotals = roles.map { role in districts.reduce(0) { $0 + (counts[$1]?[role] ?? 0) } }
        rows.append([.text("All districts")] + columnTotals.map { .count($0) } + [.count(columnTotals.reduce(0, +))])
        return ReportSection(
            id: "participation", heading: "Participation by role and district",
            tables: [ReportTable(
                id: "participation", caption: "Participants by district (rows) and role (columns)",
                columns: [.init("district", "District")] + roles.map { .init($0, ReportWording.words($0), numeric: true) }
                    + [.init("total", "Total", numeric: true)],
                rows: rows,
                margins: .init(members: Array(roles.indices.map { $0 + 1 }), totalColumn: roles.count + 1, totalRow: rows.count - 1))])
    }
}
