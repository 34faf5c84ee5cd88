/// Hides every aggregate about fewer people than the threshold (primary suppression)
/// and then, wherever cells add up to a shown total, enough other cells that no hidden
/// one can be worked out by subtraction (complementary suppression): along every line
/// of a table's margins — its members and its total — the number of hidden cells is
/// never exactly one. The smallest shown member is hidden first (it gives away the
/// least); the total only when no member is left. Zero counts stay: they describe
/// nobody.
public struct SmallCellSuppressor: Sendable {
    public let threshold: Int

    public init(threshold: Int) {
        self.threshold = max(threshold, 1)
    }

    public func apply(to document: ReportDocument) -> ReportDocument {
        var document = document
        for section in document.sections.indices {
            for table in document.sections[section].tables.indices {
                document.sections[section].tables[table] = apply(to: document.sections[section].tables[table])
            }
        }
        return document
    }

    public func apply(to table: ReportTable) -> ReportTable {
        var table = table
        for row in table.rows.indices {
            for column in table.rows[row].indices where isSmall(table.rows[row][column]) {
                table.rows[row][column] = .suppressed
            }
        }
        if let margins = table.margins {
            protect(&table.rows, lines: Self.lines(of: margins, rowCount: table.rows.count))
        }
        return table
    }

    private func isSmall(_ cell: ReportCell) -> Bool {
        switch cell {
        case .count(let count): count > 0 && count < threshold
        case .number(_, let sampleSize): sampleSize.map { $0 < threshold } ?? false
        default: false
        }
    }

    /// A line: the cells that add up, and the cell holding their total.
    struct Line {
        var members: [(row: Int, column: Int)]
        var total: (row: Int, column: Int)
    }

    static func lines(of margins: ReportTable.Margins, rowCount: Int) -> [Line] {
        let bodyRows = (0..<rowCount).filter { $0 != margins.totalRow }
        var lines: [Line] = []
        if let totalColumn = margins.totalColumn {
            for row in 0..<rowCount {
                lines.append(Line(members: margins.members.map { (row, $0) }, total: (row, totalColumn)))
            }
        }
        if let totalRow = margins.totalRow {
            for column in margins.members + [margins.totalColumn].compactMap({ $0 }) {
                lines.append(Line(members: bodyRows.map { ($0, column) }, total: (totalRow, column)))
            }
        }
        return lines
    }

    /// Repeats until every line is safe: hiding a cell for one line can leave another
    /// line with a single hidden cell. Among a line's shown members it hides one whose
    /// other line also has a single hidden cell (mending both at once), else the
    /// smallest non-zero one, else a zero, else the total.
    private func protect(_ rows: inout [[ReportCell]], lines: [Line]) {
        func cell(_ position: (row: Int, column: Int)) -> ReportCell? {
            rows.indices.contains(position.row) && rows[position.row].indices.contains(position.column)
                ? rows[position.row][position.column] : nil
        }
        func hiddenCount(_ line: Line) -> Int {
            (line.members + [line.total]).filter { cell($0)?.isSuppressed == true }.count
        }
        var linesOfCell: [Int: [Int]] = [:]
        let width = (rows.map(\.count).max() ?? 0) + 1
        for (index, line) in lines.enumerated() {
            for position in line.members + [line.total] { linesOfCell[position.row * width + position.column, default: []].append(index) }
        }
        var changed = true
        while changed {
            changed = false
            for (index, line) in lines.enumerated() where hiddenCount(line) == 1 {
                let shown = line.members.compactMap { position -> (position: (row: Int, column: Int), rank: (Int, Int, Double))? in
                    guard let value = cell(position)?.numericValue else { return nil }
                    let mendsAnother = (linesOfCell[position.row * width + position.column] ?? []).contains {
                        $0 != index && hiddenCount(lines[$0]) == 1
                    }
                    return (position, (mendsAnother ? 0 : 1, value > 0 ? 0 : 1, value))
                }
                let choice = shown.min { $0.rank < $1.rank }
                let hide = choice?.position ?? line.total
                guard cell(hide)?.isSuppressed == false else { continue }
                rows[hide.row][hide.column] = .suppressed
                changed = true
            }
        }
    }
}
