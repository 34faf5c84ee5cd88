/// The report as one tidy table: a row per cell of every table, with where it belongs
/// (section, table, the row's label, the column) and what it holds — the value, its
/// sample size and whether it is suppressed — so a spreadsheet can filter and pivot
/// it without knowing the report's layout.
enum CSVReportRenderer {
    static let header = ["section", "table", "row", "column", "value", "n", "status"]

    static func render(_ document: ReportDocument) -> String {
        var lines = [header.joined(separator: ",")]
        for section in document.sections {
            for table in section.tables {
                for row in table.rows {
                    let label = row.first?.plainText ?? ""
                    for (column, cell) in zip(table.columns, row).dropFirst() {
                        let (value, sampleSize, status): (String, String, String) = switch cell {
                        case .text(let text): (text, "", "")
                        case .count(let count): (String(count), String(count), "")
                        case .number(let value, let n): (ReportNumber.format(value), n.map(String.init) ?? "", "")
                        case .suppressed: ("", "", "suppressed")
                        case .missing: ("", "", "missing")
                        }
                        let fields = [section.id, table.id, label, column.key, value, sampleSize, status]
                        lines.append(fields.map(escape).joined(separator: ","))
                    }
                }
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so a spreadsheet
    /// never runs a value as a formula.
    static func escape(_ field: String) -> String {
        var field = field
        if let first = field.first, "=+-@".contains(first), Double(field) == nil {
            field = "'" + field
        }
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
