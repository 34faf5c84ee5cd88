/// The operator's view of the whole network: per tenant only counts (cycles,
/// collectives, participants, indicators and how many move toward target) and the
/// tenant's sharing choice, with totals. Participant counts below the strictest
/// tenant threshold are hidden, with complementary cells.
public struct NetworkSummaryReport: Sendable {
    public struct Tenant: Sendable, Equatable {
        public var name: String
        public var kind: String
        public var sharing: String
        public var suppressionThreshold: Int
        public var cycles: Int
        public var collectives: Int
        public var participants: Int
        public var indicators: Int
        public var indicatorsMoving: Int

        public init(
            name: String, kind: String, sharing: String, suppressionThreshold: Int, cycles: Int, collectives: Int, participants: Int,
            indicators: Int, indicatorsMoving: Int
        ) {
            self.name = name
            self.kind = kind
            self.sharing = sharing
            self.suppressionThreshold = suppressionThreshold
            self.cycles = cycles
            self.collectives = collectives
            self.participants = participants
            self.indicators = indicators
            self.indicatorsMoving = indicatorsMoving
        }
    }

    public var tenants: [Tenant]

    public init(tenants: [Tenant]) {
        self.tenants = tenants
    }

    /// The strictest threshold any tenant chose (10 when there are none).
    public var threshold: Int {
        tenants.map(\.suppressionThreshold).max() ?? 10
    }

    public func document(generatedAt: String) -> ReportDocument {
        func number(_ value: Int) -> ReportCell { .number(Double(value), sampleSize: nil) }
        var rows: [[ReportCell]] = tenants.map { tenant in
            [
                .text(tenant.name), .text(ReportWording.words(tenant.kind)), .text(ReportWording.words(tenant.sharing)),
                number(tenant.cycles), number(tenant.collectives), .count(tenant.participants), number(tenant.indicators),
                number(tenant.indicatorsMoving),
            ]
        }
        func sum(_ value: (Tenant) -> Int) -> Int { tenants.reduce(0) { $0 + value($1) } }
        rows.append([
            .text("Whole network"), .missing, .missing, number(sum(\.cycles)), number(sum(\.collectives)), .count(sum(\.participants)),
            number(sum(\.indicators)), number(sum(\.indicatorsMoving)),
        ])
        let networked = tenants.filter { $0.sharing == "network" }.count
        return ReportDocument(
            kind: .networkSummary, title: "Network summary", subtitle: "\(tenants.count) agencies, \(networked) sharing across the network",
            generatedAt: generatedAt, suppressionThreshold: threshold,
            sections: [ReportSection(
                id: "tenants", heading: "Agencies",
                paragraphs: ["Counts only: no collective, person, school or district appears in this report."],
                charts: [ReportChart(
                    id: "chart-collectives", style: .bar, title: "Collectives by agency",
                    summary: "How many collectives each agency runs.", tableID: "tenants", labelColumn: "tenant",
                    valueColumn: "collectives")],
                tables: [ReportTable(
                    id: "tenants", caption: "Agencies and their totals",
                    columns: [
                        .init("tenant", "Agency"), .init("kind", "Kind"), .init("sharing", "Sharing"),
                        .init("cycles", "Cycles", numeric: true), .init("collectives", "Collectives", numeric: true),
                        .init("participants", "Participants", numeric: true), .init("indicators", "Indicators", numeric: true),
                        .init("moving", "Moving toward target", numeric: true),
                    ],
                    rows: rows, margins: .init(members: [5], totalRow: rows.count - 1))])])
    }
}
