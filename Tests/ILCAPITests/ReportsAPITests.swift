import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ILCCore
import ILCReports
import ILCStore
import ILCTestSupport
import Testing

@testable import ILCAPI

@Suite struct ReportsAPITests {
    @Test func startingAReportChecksItsKindsParentInTheTenant() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant()
        let other = try await harness.tenant()
        let fixture = try await ReportFixture.make(harness.database, tenantID: tenant.id)
        let collective = fixture.collectiveID.uuidString.lowercased()
        try await harness.test { client in
            func start(_ body: String, key: String) async throws -> (HTTPResponse.Status, [String: Any]) {
                try await client.execute(uri: "/v1/reports", method: .post, headers: jsonHeaders(key), body: ByteBuffer(string: body)) {
                    ($0.status, (try? json($0.body)) ?? [:])
                }
            }
            let missing = try await start(#"{"kind": "collective_progress"}"#, key: tenant.key)
            // The kind makes the field necessary: values that do not fit together.
            #expect(missing.0 == .unprocessableContent)
            #expect(((missing.1["errors"] as? [[String: Any]])?.first?["pointer"] as? String) == "/collective_id")
            #expect(try await start(#"{"kind": "cycle_summary"}"#, key: tenant.key).0 == .unprocessableContent)
            #expect(try await start(#"{"kind": "network_summary"}"#, key: tenant.key).0 == .badRequest)
            let started = try await start(#"{"kind": "collective_progress", "collective_id": "\#(collective)", "format": "csv"}"#, key: tenant.key)
            #expect(started.0 == .accepted)
            #expect(started.1["type"] as? String == "report-generation")
            #expect(try await start(#"{"kind": "tenant_overview"}"#, key: tenant.key).0 == .accepted)
            // Another tenant's collective or cycle is not there for this key.
            #expect(try await start(#"{"kind": "collective_progress", "collective_id": "\#(collective)"}"#, key: other.key).0 == .notFound)
            let cycle = fixture.cycleID.uuidString.lowercased()
            #expect(try await start(#"{"kind": "cycle_summary", "cycle_id": "\#(cycle)"}"#, key: other.key).0 == .notFound)
        }
    }

    @Test func aReportIsDescribedAndDownloadedWithItsETag() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant()
        // A real report, with numbers, nulls, hidden cells, slashes and non-ASCII text:
        // served byte for byte as stored.
        var sample = SampleReports.collective()
        sample.collective = "Attendance 1/2 – “north”"
        let content = try ReportRenderer().render(sample.document(generatedAt: "2026-11-29T12:00:00Z", suppressionThreshold: 10), as: .json)
        let report = try await ReportStore(database: harness.database).save(tenantID: tenant.id, ReportDraft(
            kind: .tenantOverview, format: .json, title: "Overview", cycleID: nil, collectiveID: nil, content: content, jobID: nil))
        let id = report.id.uuidString.lowercased()
        try await harness.test { client in
            try await client.execute(uri: "/v1/reports/\(id)", method: .get, headers: .bearer(tenant.key)) { response in
                #expect(response.status == .ok)
                let body = try json(response.body)
                #expect(body["sha256"] as? String == report.sha256)
                #expect(body["size_bytes"] as? Int == content.count)
                #expect((body["links"] as? [String: Any])?["content"] as? String == "/v1/reports/\(id)/content")
            }
            let etag = try await client.execute(uri: "/v1/reports/\(id)/content", method: .get, headers: .bearer(tenant.key)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                #expect(Data(buffer: response.body) == content)
                #expect(response.headers[.contentDisposition]?.contains("report-\(id).json") == true)
                return response.headers[.eTag]
            }
            #expect(etag == "\"\(report.sha256)\"")
            var conditional = HTTPFields.bearer(tenant.key)
            conditional[.ifNoneMatch] = "W/\"other\", \(etag ?? "")"
            try await client.execute(uri: "/v1/reports/\(id)/content", method: .get, headers: conditional) { response in
                #expect(response.status == .notModified)
                #expect(response.body.readableBytes == 0)
            }
            try await client.execute(uri: "/v1/reports?limit=5", method: .get, headers: .bearer(tenant.key)) { response in
                let listed = try json(response.body)["data"] as? [[String: Any]]
                #expect(listed?.map { $0["id"] as? String } == [id])
            }
            try await client.execute(uri: "/v1/reports?cycle_id=nope", method: .get, headers: .bearer(tenant.key)) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func operatorsGetTheNetworkSummaryInEveryFormatAndTenantsDoNot() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant()
        _ = try await ReportFixture.make(harness.database, tenantID: tenant.id)
        let operatorKey = try await harness.operatorKey()
        try await harness.test { client in
            for (format, type) in [("html", "text/html"), ("csv", "text/csv"), ("json", "application/json")] {
                try await client.execute(
                    uri: "/v1/admin/network-summary?format=\(format)", method: .get, headers: .bearer(operatorKey)
                ) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType]?.hasPrefix(type) == true, "\(format)")
                    #expect(String(buffer: response.body).contains("Whole network"))
                }
            }
            try await client.execute(uri: "/v1/admin/network-summary", method: .get, headers: .bearer(tenant.key)) { response in
                #expect(response.status == .forbidden)
            }
        }
    }
}
