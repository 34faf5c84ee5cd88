/// A report before it takes a format: titled sections of facts, tables and charts. The
/// builders make one from the data, `SmallCellSuppressor` hides small groups in it, and
/// the renderers write the same document as HTML, CSV or JSON, so every format shows
/// exactly the same numbers and hides exactly the same cells.
public struct ReportDocument: Sendable, Equatable, Encodable {
    public var kind: ReportKind
    public var title: String
    public var subtitle: String?
    /// RFC 3339, UTC.
    public var generatedAt: String
    /// Groups smaller than this are hidden.
    public var suppressionThreshold: Int
    public var sections: [ReportSection]

    public init(
        kind: ReportKind, title: String, subtitle: String? = nil, generatedAt: String, suppressionThreshold: Int,
        sections: [ReportSection]
    ) {
        self.kind = kind
        self.title = title
        self.subtitle = subtitle
        self.generatedAt = generatedAt
        self.suppressionThreshold = suppressionThreshold
        self.sections = sections
    }

    enum CodingKeys: String, CodingKey {
        case kind, title, subtitle, sections
        case generatedAt = "generated_at"
        case suppressionThreshold = "suppression_threshold"
    }
}

public enum ReportKind: String, Sendable, Equatable, Codable, CaseIterable {
    case collectiveProgress = "collective_progress"
    case cycleSummary = "cycle_summary"
    case tenantOverview = "tenant_overview"
    case networkSummary = "network_summary"
}

/// One part of a report: a heading, short paragraphs, labelled facts, charts (each
/// drawn from one of the section's tables, its text alternative) and tables.
public struct ReportSection: Sendable, Equatable, Encodable {
    public struct Fact: Sendable, Equatable, Encodable {
        public var label: String
        public var value: String

        public init(_ label: String, _ value: String) {
            self.label = label
            self.value = value
        }
    }

    /// Unique within the report; the CSV's `section` column.
    public var id: String
    public var heading: String
    public var paragraphs: [String]
    public var facts: [Fact]
    public var charts: [ReportChart]
    public var tables: [ReportTable]

    public init(
        id: String, heading: String, paragraphs: [String] = [], facts: [Fact] = [], charts: [ReportChart] = [],
        tables: [ReportTable] = []
    ) {
        self.id = id
        self.heading = heading
        self.paragraphs = paragraphs
        self.facts = facts
        self.charts = charts
        self.tables = tables
    }
}

extension ReportSection {
    /// A section of one two-column table (a label, a value) drawn as a bar chart.
    static func barChart(
        id: String, heading: String, title: String, summary: String, label: ReportTable.Column, value: ReportTable.Column,
        rows: [(ReportCell, ReportCell)]
    ) -> ReportSection {
        ReportSection(
            id: id, heading: heading,
            charts: [ReportChart(
                id: "chart-\(id)", style: .bar, title: title, summary: summary, tableID: id, labelColumn: label.key,
                valueColumn: value.key)],
            tables: [ReportTable(id: id, caption: title, columns: [label, value], rows: rows.map { [$0.0, $0.1] })])
    }
}
