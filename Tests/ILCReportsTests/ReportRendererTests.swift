import Foundation
import ILCReports
import ILCTestSupport
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite struct ReportRendererTests {
    static let renderer = Result { try ReportRenderer() }

    /// Every kind in every format: what suppression hid appears in none of them.
    @Test(arguments: SampleReports.documents(), ReportFormat.allCases)
    func noFormatShowsASuppressedValue(document: ReportDocument, format: ReportFormat) throws {
        let text = String(decoding: try Self.renderer.get().render(document, as: format), as: UTF8.self)
        #expect(!text.isEmpty)
        #expect(!text.contains("77.77"), "\(document.kind) \(format)")
        #expect(text.contains("suppressed"))
    }

    @Test(arguments: SampleReports.documents())
    func htmlIsWellFormedSelfContainedAndEveryChartHasItsAlternatives(document: ReportDocument) throws {
        let data = try Self.renderer.get().render(document, as: .html)
        let parser = XMLParser(data: data)
        #expect(parser.parse(), "not well-formed: \(String(describing: parser.parserError))")
        let html = String(decoding: data, as: UTF8.self)
        #expect(!html.contains("<script"))
        #expect(!html.contains("http://") || !html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http://"))
        #expect(html.contains("@media print"))
        let charts = document.sections.flatMap(\.charts)
        #expect(!charts.isEmpty)
        #expect(html.components(separatedBy: "<svg").count - 1 == charts.count)
        for chart in charts {
            #expect(html.contains(#"<title id="\#(chart.id)-title">"#))
            #expect(html.contains(#"<desc id="\#(chart.id)-desc">"#))
            let section = try #require(document.sections.first { $0.charts.contains(chart) })
            #expect(html.contains(#"<table id="\#(section.id)-\#(chart.tableID)">"#), "chart \(chart.id) has no data table")
        }
    }

    @Test func csvIsOneTidyRowPerCellWithSuppressionMarked() throws {
        let document = SampleReports.cycle().document(generatedAt: "2026-11-29T12:00:00Z", suppressionThreshold: 10)
        let csv = String(decoding: try Self.renderer.get().render(document, as: .csv), as: UTF8.self)
        let lines = csv.components(separatedBy: "\r\n").dropLast()
        #expect(lines.first == "section,table,row,column,value,n,status")
        #expect(lines.contains("participation,participation,South,teacher,,,suppressed"))
        // South's small cell takes a second cell of its row, and those two columns one
        // more cell each, in one row: four hidden, the rest and every total shown.
        #expect(lines.filter { $0.hasPrefix("participation,") && $0.hasSuffix(",suppressed") }.count == 4)
        #expect(lines.contains("participation,participation,East,teacher,14,14,"))
        #expect(lines.contains("participation,participation,All districts,total,75,75,"))
        #expect(lines.contains("themes,themes,Literacy,participants,,,suppressed"))
        let cells = document.sections.flatMap(\.tables).reduce(0) { $0 + $1.rows.count * ($1.columns.count - 1) }
        #expect(lines.count - 1 == cells)
    }

    @Test func csvNeverLetsASpreadsheetRunAFormula() throws {
        let csv = String(decoding: try Self.renderer.get().render(SampleReports.documents()[0], as: .csv), as: UTF8.self)
        #expect(!csv.contains(",=HYPERLINK") && !csv.contains(",\"=HYPERLINK"))
        #expect(csv.contains(#""'=HYPERLINK(""x"") survey, row 0""#))
    }

    @Test func jsonHoldsTheDocumentWithSuppressedCellsMarked() throws {
        let document = SampleReports.collective().document(generatedAt: "2026-11-29T12:00:00Z", suppressionThreshold: 10)
        let json = try #require(try JSONSerialization.jsonObject(with: try Self.renderer.get().render(document, as: .json)) as? [String: Any])
        #expect(json["kind"] as? String == "collective_progress")
        #expect(json["suppression_threshold"] as? Int == 10)
        let sections = try #require(json["sections"] as? [[String: Any]])
        let indicators = try #require(sections.first { $0["id"] as? String == "indicators" })
        let tables = try #require(indicators["tables"] as? [[String: Any]])
        let overTime = try #require(tables.first { $0["id"] as? String == "indicator-1" }?["rows"] as? [[Any]])
        #expect((overTime[2][1] as? [String: Any])?["suppressed"] as? Bool == true)
        #expect((overTime[1][1] as? [String: Any])?["n"] as? Int == 120)
    }

    @Test func theSameInputRendersTheSameBytes() throws {
        for document in SampleReports.documents() {
            for format in ReportFormat.allCases {
                #expect(try Self.renderer.get().render(document, as: format) == Self.renderer.get().render(document, as: format))
            }
        }
    }
}
