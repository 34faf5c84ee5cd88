import Foundation
import ILCQueue
import ILCReports
import ILCStore

/// `report-generation`: reads what a report is made from (one snapshot), builds its
/// document, renders it in the asked format — suppression applied once, in the
/// renderer — and stores it with its content type, size and checksum. The result links
/// the report.
struct ReportGenerationHandler: JobHandler {
    let type = "report-generation"
    let renderer: ReportRenderer
    let compute: ComputeThreads

    private struct Payload: Decodable {
        var kind: ReportKind
        var format: ReportFormat
        var cycleID: UUID?
        var collectiveID: UUID?

        enum CodingKeys: String, CodingKey {
            case kind, format
            case cycleID = "cycle_id"
            case collectiveID = "collective_id"
        }
    }

    func run(_ context: JobContext) async throws -> String {
        let payload = try context.decodePayload(Payload.self)
        let sources = ReportSourceStore(database: context.database)
        let now = Date().formatted(.iso8601)
        await context.reportProgress(percent: 0, message: "reading")
        let document: ReportDocument
        var cycleID = payload.cycleID
        switch payload.kind {
        case .collectiveProgress:
            guard let collectiveID = payload.collectiveID,
                  let source = try await sources.collectiveProgress(tenantID: context.tenantID, collectiveID: collectiveID) else {
                throw Self.missing("collective", payload.collectiveID)
            }
            cycleID = source.cycleID
            document = source.report.document(generatedAt: now, suppressionThreshold: source.threshold)
        case .cycleSummary:
            guard let cycle = payload.cycleID, let source = try await sources.cycleSummary(tenantID: context.tenantID, cycleID: cycle) else {
                throw Self.missing("cycle", payload.cycleID)
            }
            document = source.report.document(generatedAt: now, suppressionThreshold: source.threshold)
        case .tenantOverview:
            let source = try await sources.tenantOverview(tenantID: context.tenantID)
            document = source.report.document(generatedAt: now, suppressionThreshold: source.threshold)
        case .networkSummary:
            throw JobFailure(
                title: "Not a tenant's report", detail: "the network summary is an operator's: GET /v1/admin/network-summary",
                retryable: false)
        }
        try Task.checkCancellation()
        await context.reportProgress(percent: 40, message: "rendering")
        let renderer = self.renderer
        let format = payload.format
        let content = try await compute.run { try renderer.render(document, as: format) }
        await context.reportProgress(percent: 80, message: "storing")
        let report = try await ReportStore(database: context.database).save(
            tenantID: context.tenantID,
            ReportDraft(
                kind: payload.kind, format: payload.format, title: document.title, cycleID: cycleID,
                collectiveID: payload.kind == .collectiveProgress ? payload.collectiveID : nil, content: content, jobID: context.jobID))
        let id = report.id.uuidString.lowercased()
        let result: [String: Any] = [
            "report_id": id, "content_type": report.contentType, "size_bytes": report.sizeBytes, "sha256": report.sha256,
            "links": ["report": "/v1/reports/\(id)", "content": "/v1/reports/\(id)/content"],
        ]
        return String(decoding: try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]), as: UTF8.self)
    }

    private static func missing(_ what: String, _ id: UUID?) -> JobFailure {
        JobFailure(
            title: "The \(what) does not exist", detail: id.map { "\(what) \($0) was deleted" } ?? "the payload names no \(what)",
            retryable: false)
    }
}
