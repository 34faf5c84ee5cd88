import Foundation
import ILCReports
import ILCStore
import OpenAPIRuntime

/// Reading generated reports (the `report-generation` job makes them) and the
/// operator's network summary, made on request.
extension PartnerAPI {
    func listReports(_ input: Operations.ListReports.Input) async throws -> Operations.ListReports.Output {
        let tenant = try tenantID()
        let (limit, cursor) = try PageCursor.page(limit: input.query.limit, cursor: input.query.cursor)
        let cycle = try input.query.cycleId.map { try Self.uuid($0, pointer: "/cycle_id") }
        let job = try input.query.jobId.map { try Self.uuid($0, pointer: "/job_id") }
        let reports = try await ReportStore(database: database).list(
            tenantID: tenant, cycleID: cycle, jobID: job, before: cursor, limit: limit + 1)
        let (page, next) = PageCursor.split(reports, limit: limit, id: \.id)
        return .ok(.init(body: .json(.init(data: page.map(Components.Schemas.Report.init), next: next))))
    }

    func getReport(_ input: Operations.GetReport.Input) async throws -> Operations.GetReport.Output {
        let tenant = try tenantID()
        guard let id = UUID(uuidString: input.path.reportId),
              let report = try await ReportStore(database: database).find(tenantID: tenant, id: id) else {
            throw APIProblem.notFound()
        }
        return .ok(.init(body: .json(.init(report))))
    }

    func getReportContent(_ input: Operations.GetReportContent.Input) async throws -> Operations.GetReportContent.Output {
        let tenant = try tenantID()
        guard let id = UUID(uuidString: input.path.reportId),
              let (report, content) = try await ReportStore(database: database).content(tenantID: tenant, id: id) else {
            throw APIProblem.notFound()
        }
        let etag = "\"\(report.sha256)\""
        if let sent = input.headers.ifNoneMatch, IfNoneMatch.matches(sent, etag: etag) {
            return .notModified(.init(headers: .init(eTag: etag)))
        }
        let name = "report-\(report.id.uuidString.lowercased()).\(report.format.fileExtension)"
        let disposition = "inline; filename=\"\(name)\""
        let headers = Operations.GetReportContent.Output.Ok.Headers(eTag: etag, contentDisposition: disposition)
        let body = HTTPBody(content)
        switch report.format {
        case .html: return .ok(.init(headers: headers, body: .html(body)))
        case .csv: return .ok(.init(headers: headers, body: .csv(body)))
        case .json: return .ok(.init(headers: headers, body: .json(try Self.jsonDocument(content))))
        }
    }

    /// The generated glue encodes JSON bodies itself, with the same encoder settings
    /// the renderer uses (sorted keys), so decoding the stored report and letting it
    /// encode again gives back the stored bytes, which the ETag names.
    private static func jsonDocument(_ content: Data) throws -> Components.Schemas.ReportDocument {
        try JSONDecoder().decode(Components.Schemas.ReportDocument.self, from: content)
    }

    func adminGetNetworkSummary(_ input: Operations.AdminGetNetworkSummary.Input) async throws -> Operations.AdminGetNetworkSummary.Output {
        let summary = try await ReportSourceStore(database: database).networkSummary()
        let format = ReportFormat(rawValue: (input.query.format ?? .html).rawValue) ?? .html
        let rendered = try reportRenderer.render(summary.document(generatedAt: Date().formatted(.iso8601)), as: format)
        let content = HTTPBody(rendered)
        return switch format {
        case .html: .ok(.init(body: .html(content)))
        case .csv: .ok(.init(body: .csv(content)))
        case .json: .ok(.init(body: .json(try Self.jsonDocument(rendered))))
        }
    }
}

extension Components.Schemas.Report {
    init(_ report: Report) {
        let id = report.id.uuidString.lowercased()
        self.init(
            id: id, kind: Components.Schemas.Report.KindPayload(rawValue: report.kind.rawValue) ?? .collectiveProgress,
            format: Components.Schemas.ReportFormat(rawValue: report.format.rawValue) ?? .html, title: report.title,
            cycleId: report.cycleID?.uuidString.lowercased(), collectiveId: report.collectiveID?.uuidString.lowercased(),
            contentType: report.contentType, sizeBytes: report.sizeBytes, sha256: report.sha256,
            jobId: report.jobID?.uuidString.lowercased(), createdAt: report.createdAt, expiresAt: report.expiresAt,
            links: .init(content: "/v1/reports/\(id)/content"))
    }
}
