/// A tenant's cycles side by side: phase, participants, collectives and indicators
/// moving toward target, with totals across cycles.
public struct TenantOverviewReport: Sendable {
    public struct Cycle: Sendable, Equatable {
        public var name: String
        public var phase: String
        public var participants: Int
        public var collectives: Int
        public var indicators: Int
        public var indicatorsMoving: Int

        public init(name: String, phase: String, participants: Int, collectives: Int, indicators: Int, indicatorsMoving: Int) {
            self.name = name
            self.phase = phase
            self.participants = participants
            self.collectives = collectives
            self.indicators = indicators
            self.indicatorsMoving = indicatorsMoving
        }
    }

    public var tenant: String
    public var cycles: [Cycle]

    public init(tenant: String, cycles: [Cycle]) {
        self.tenant = tenant
        self.cycles = cycles
    }

    public func document(generatedAt: String, suppressionThreshold: Int) -> ReportDocument {
        var rows: [[ReportCell]] = cycles.map { cycle in
            [
                .text(cycle.name), .text(ReportWording.phase(cycle.phase)), .count(cycle.participants),
                .number(Double(cycle.collectives), sampleSize: nil), .number(Double(cycle.indicators), sampleSize: nil),
                .number(Double(cycle.indicatorsMoving), sampleSize: nil),
            ]
        }
        rows.append([
            .text("All cycles"), .missing, .count(cycles.reduce(0) { $0 + $1.participants }),
            .number(Double(cycles.reduce(0) { $0 + $1.collectives }), sampleSize: nil),
            .number(Double(cycles.reduce(0) { $0 + $1.indicators }), sampleSize: nil),
            .number(Double(cycles.reduce(0) { $0 + $1.indicatorsMoving }), sampleSize: nil),
        ])
        let table = ReportTable(
            id: "cycles", caption: "Cycles, oldest first",
            columns: [
                .init("cycle", "Cycle"), .init("phase", "Phase"), .init("participants", "Participants", numeric: true),
                .init("collectives", "Collectives", numeric: true), .init("indicators", "Indicators", numeric: true),
                .init("moving", "Moving toward target", numeric: true),
            ],
            rows: rows, margins: .init(members: [2], totalRow: rows.count - 1))
        return ReportDocument(
            kind: .tenantOverview, title: "\(tenant): overview across cycles", generatedAt: generatedAt,
            suppressionThreshold: suppressionThreshold,
            sections: [ReportSection(
                id: "cycles", heading: "Cycles",
                charts: [ReportChart(
                    id: "chart-participants", style: .bar, title: "Participants by cycle",
                    summary: "How many educators took part in each cycle.", tableID: "cycles", labelColumn: "cycle",
                    valueColumn: "participants")],
                tables: [table])])
    }
}
