import ILCReports
import ILCTestSupport
import Testing

@Suite struct SmallCellSuppressorTests {
    @Test func smallGroupsAreHiddenAndZeroesAndNonPersonalValuesStay() {
        let table = ReportTable(
            id: "t", caption: "t", columns: [.init("a", "A"), .init("b", "B"), .init("c", "C"), .init("d", "D")],
            rows: [[.text("x"), .count(3), .count(0), .number(5.5, sampleSize: 9)], [.text("y"), .count(10), .number(2, sampleSize: nil), .number(1, sampleSize: 10)]])
        let safe = SmallCellSuppressor(threshold: 10).apply(to: table)
        #expect(safe.rows[0] == [.text("x"), .suppressed, .count(0), .suppressed])
        #expect(safe.rows[1] == table.rows[1])
    }

    @Test func aLoneHiddenCellTakesAnotherWithItAlongRowsAndColumns() throws {
        // South/teacher (3) is small; with row and column totals shown, one more cell in
        // its row and one in its column must go, and those cells' lines in turn.
        let document = SampleReports.cycle().document(generatedAt: "now", suppressionThreshold: 10)
        let table = SmallCellSuppressor(threshold: 10).apply(to: document).sections.flatMap(\.tables).first { $0.id == "participation" }
        let safe = try #require(table)
        Self.expectNoLineHasOneHiddenCell(safe)
        // The fewest that do it: two rows of two columns.
        #expect(safe.rows.flatMap { $0 }.filter(\.isSuppressed).count == 4)
    }

    /// Random tables with totals: whatever the counts, all small cells are hidden and
    /// no line of a margin is left with exactly one hidden cell.
    @Test(arguments: 0..<40)
    func everyMarginLineIsSafeOnRandomTables(seed: Int) {
        var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let (rowCount, columnCount) = (2 + next(5), 2 + next(4))
        var rows: [[ReportCell]] = (0..<rowCount).map { row in
            let values = (0..<columnCount).map { _ in next(4) == 0 ? next(10) : next(60) }
            return [.text("r\(row)")] + values.map { .count($0) } + [.count(values.reduce(0, +))]
        }
        let totals = (1...columnCount + 1).map { column in rows.reduce(0) { $0 + Int($1[column].numericValue ?? 0) } }
        rows.append([.text("total")] + totals.map { .count($0) })
        let table = ReportTable(
            id: "t", caption: "t", columns: [.init("k", "K")] + (0...columnCount).map { .init("c\($0)", "C", numeric: true) }, rows: rows,
            margins: .init(members: Array(1...columnCount), totalColumn: columnCount + 1, totalRow: rowCount))
        let safe = SmallCellSuppressor(threshold: 10).apply(to: table)
        for (row, cells) in table.rows.enumerated() {
            for (column, cell) in cells.enumerated() {
                if case .count(let count) = cell, count > 0, count < 10 { #expect(safe.rows[row][column].isSuppressed) }
            }
        }
        Self.expectNoLineHasOneHiddenCell(safe)
    }

    static func expectNoLineHasOneHiddenCell(_ table: ReportTable) {
        guard let margins = table.margins else { return }
        var lines: [[ReportCell]] = []
        if let totalColumn = margins.totalColumn {
            lines += table.rows.map { row in (margins.members + [totalColumn]).map { row[$0] } }
        }
        if margins.totalRow != nil {
            for column in margins.members + [margins.totalColumn].compactMap({ $0 }) {
                lines.append(table.rows.map { $0[column] })
            }
        }
        for line in lines {
            #expect(line.filter(\.isSuppressed).count != 1, "\(line)")
        }
    }
}
