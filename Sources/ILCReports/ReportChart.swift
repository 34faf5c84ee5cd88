/// A chart of a report, drawn from one of its section's tables (`tableID`): the values
/// come from the table, so a hidden cell is a gap in the chart too, and the table is
/// the chart's accessible alternative. `summary` says in words what it shows.
public struct ReportChart: Sendable, Equatable, Encodable {
    public enum Style: String, Sendable, Equatable, Encodable {
        /// Values over time, with the baseline and target as reference lines.
        case line
        /// One bar per category.
        case bar
    }

    public var id: String
    public var style: Style
    public var title: String
    public var summary: String
    public var tableID: String
    /// The table's columns holding each point's label and value.
    public var labelColumn: String
    public var valueColumn: String
    public var baseline: Double?
    public var target: Double?

    public init(
        id: String, style: Style, title: String, summary: String, tableID: String, labelColumn: String, valueColumn: String,
        baseline: Double? = nil, target: Double? = nil
    ) {
        self.id = id
        self.style = style
        self.title = title
        self.summary = summary
        self.tableID = tableID
        self.labelColumn = labelColumn
        self.valueColumn = valueColumn
        self.baseline = baseline
        self.target = target
    }

    enum CodingKeys: String, CodingKey {
        case id, style, title, summary, baseline, target
        case tableID = "table_id"
        case labelColumn = "label_column"
        case valueColumn = "value_column"
    }

    /// The points as the table has them: (label, value or nil when hidden or missing).
    public func points(in table: ReportTable) -> [(label: String, value: Double?)] {
        guard let label = table.columns.firstIndex(where: { $0.key == labelColumn }),
              let value = table.columns.firstIndex(where: { $0.key == valueColumn }) else { return [] }
        return table.rows.enumerated().compactMap { index, row in
            // A totals row is not one of the things compared.
            guard index != table.margins?.totalRow, row.indices.contains(label), row.indices.contains(value) else { return nil }
            return (row[label].plainText, row[value].numericValue)
        }
    }
}
