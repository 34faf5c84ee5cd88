import Foundation

public enum ReportFormat: String, Sendable, Equatable, Codable, CaseIterable {
    case html, csv, json

    public var contentType: String {
        switch self {
        case .html: "text/html; charset=utf-8"
        case .csv: "text/csv; charset=utf-8; header=present"
        case .json: "application/json"
        }
    }

    public var fileExtension: String { rawValue }
}

/// Writes a document in any format: suppression is applied first, once, so the
/// formats cannot disagree about what is hidden.
public struct ReportRenderer: Sendable {
    let html: HTMLReportRenderer

    public init() throws {
        html = try HTMLReportRenderer()
    }

    public func render(_ document: ReportDocument, as format: ReportFormat) throws -> Data {
        let safe = SmallCellSuppressor(threshold: document.suppressionThreshold).apply(to: document)
        switch format {
        case .html: return Data(html.render(safe).utf8)
        case .csv: return Data(CSVReportRenderer.render(safe).utf8)
        case .json:
            let encoder = JSONEncoder()
            // The API's encoder settings: it can serve a stored report byte for byte.
            encoder.outputFormatting = [.sortedKeys]
            return try encoder.encode(safe)
        }
    }
}
