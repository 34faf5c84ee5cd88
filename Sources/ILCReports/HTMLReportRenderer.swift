import Mustache

/// The report as one self-contained HTML page: inline stylesheet (with a print
/// variant), inline SVG charts each with a title, a description and its data table,
/// no JavaScript, no outside resources.
public struct HTMLReportRenderer: Sendable {
    let library: MustacheLibrary

    public init() throws {
        library = try ReportTemplates.library()
    }

    public func render(_ document: ReportDocument) -> String {
        library.render(PageView(document), withTemplate: "page") ?? ""
    }

    struct PageView {
        let title: String
        let subtitle: String?
        let generatedAt: String
        let threshold: Int
        let sections: [SectionView]

        init(_ document: ReportDocument) {
            title = document.title
            subtitle = document.subtitle
            generatedAt = document.generatedAt
            threshold = document.suppressionThreshold
            sections = document.sections.map(SectionView.init)
        }
    }

    struct SectionView {
        let id: String
        let heading: String
        let paragraphs: [String]
        let hasFacts: Bool
        let facts: [ReportSection.Fact]
        let charts: [ChartLayout]
        let tables: [TableView]

        init(_ section: ReportSection) {
            id = section.id
            heading = section.heading
            paragraphs = section.paragraphs
            hasFacts = !section.facts.isEmpty
            facts = section.facts
            charts = section.charts.compactMap { chart in
                section.tables.first { $0.id == chart.tableID }.map { ChartLayout(chart, table: $0) }
            }
            tables = section.tables.map { TableView($0, section: section.id) }
        }
    }

    struct TableView {
        /// Cells and rows answer the template's lookups themselves: a report may have
        /// tens of thousands of cells, and reflection (Mirror) costs far more per lookup.
        struct CellView: MustacheParent {
            let first: Bool
            let kind: String
            let text: String

            func child(named name: String) -> Any? {
                switch name {
                case "first": first
                case "kind": kind
                case "text": text
                default: nil
                }
            }
        }

        struct RowView: MustacheParent {
            let cells: [CellView]

            func child(named name: String) -> Any? { name == "cells" ? cells : nil }
        }

        let id: String
        let caption: String
        let columns: [ReportTable.Column]
        let columnCount: Int
        let rows: [RowView]

        init(_ table: ReportTable, section: String) {
            id = "\(section)-\(table.id)"
            caption = table.caption
            columns = table.columns
            columnCount = table.columns.count
            rows = table.rows.map { row in
                RowView(cells: row.enumerated().map { index, cell in
                    let (kind, text): (String, String) = switch cell {
                    case .text(let text): ("text", text)
                    case .count(let count): ("number", String(count))
                    case .number(let value, let sampleSize):
                        ("number", ReportNumber.format(value) + (sampleSize.map { " (n = \($0))" } ?? ""))
                    case .suppressed: ("suppressed", "suppressed")
                    case .missing: ("missing", "—")
                    }
                    return CellView(first: index == 0, kind: kind, text: text)
                })
            }
        }
    }
}
