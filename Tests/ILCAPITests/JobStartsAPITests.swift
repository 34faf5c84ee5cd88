import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ILCCore
import ILCStore
import Testing

@testable import ILCAPI

@Suite struct JobStartsAPITests {
    private func cycle(_ harness: APIHarness, tenant: UUID) async throws -> String {
        try await CycleStore(database: harness.database).create(
            tenantID: tenant, name: "pilot", startsOn: nil, endsOn: nil, settings: CycleSettings()
        ).id.uuidString.lowercased()
    }

    @Test func startingWorkQueuesAJobAndAnswers202WithWhereToPoll() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant(scopes: [.read, .jobsWrite])
        let cycle = try await cycle(harness, tenant: tenant.id)
        let started: [(String, String, String)] = [
            ("/v1/cycles/\(cycle)/theme-detection", #"{"seed": 42, "max_themes": 8}"#, "theme-detection"),
            ("/v1/cycles/\(cycle)/group-formation", "", "group-formation"),
            ("/v1/knowledge-sharing", #"{"cycle_id": "\#(cycle)"}"#, "knowledge-sharing"),
            ("/v1/reports", #"{"cycle_id": "\#(cycle)", "format": "csv"}"#, "report"),
        ]
        try await harness.test { client in
            for (uri, body, type) in started {
                let id = try await client.execute(
                    uri: uri, method: .post, headers: body.isEmpty ? .bearer(tenant.key) : jsonHeaders(tenant.key),
                    body: body.isEmpty ? nil : ByteBuffer(string: body)
                ) { response in
                    #expect(response.status == .accepted, "\(uri)")
                    let job = try json(response.body)
                    #expect(job["type"] as? String == type)
                    // Queued when answered, unless a test's worker of this type already took it.
                    #expect(JobState(rawValue: job["state"] as? String ?? "") != nil)
                    if !["theme-detection", "group-formation"].contains(type) { #expect(job["state"] as? String == "queued") }
                    let id = try #require(job["id"] as? String)
                    #expect(response.headers[.location] == "/v1/jobs/\(id)")
                    #expect(response.headers[.retryAfter] == "1")
                    return try #require(UUID(uuidString: id))
                }
                let record = try #require(try await harness.queues.job(tenantID: tenant.id, id: id))
                let payload = try #require(try JSONSerialization.jsonObject(with: Data(record.payload.utf8)) as? [String: Any])
                #expect(payload["cycle_id"] as? String == cycle)
                switch type {
                case "theme-detection":
                    #expect(payload["seed"] as? Int == 42)
                    #expect(payload["max_themes"] as? Int == 8)
                case "group-formation":
                    // No seed given: one is chosen and kept, so the run can be repeated.
                    #expect(payload["seed"] is Int)
                case "report":
                    #expect(payload["format"] as? String == "csv")
                default:
                    break
                }
            }
        }
    }

    @Test func badRequestsAndUnknownCyclesQueueNothing() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant(scopes: [.read, .jobsWrite])
        let cycle = try await cycle(harness, tenant: tenant.id)
        let refused: [(String, String, HTTPResponse.Status)] = [
            ("/v1/cycles/\(cycle)/theme-detection", #"{"max_themes": 1}"#, .badRequest),
            ("/v1/cycles/\(cycle)/group-formation", #"{"seed": -1}"#, .badRequest),
            ("/v1/cycles/\(UUID())/theme-detection", "{}", .notFound),
            ("/v1/knowledge-sharing", "{}", .badRequest),
            ("/v1/reports", #"{"cycle_id": "\#(UUID())"}"#, .notFound),
            ("/v1/reports", #"{"cycle_id": "\#(cycle)", "format": "pdf"}"#, .badRequest),
        ]
        try await harness.test { client in
            for (uri, body, status) in refused {
                try await client.execute(uri: uri, method: .post, headers: jsonHeaders(tenant.key), body: ByteBuffer(string: body)) { response in
                    #expect(response.status == status, "\(uri) \(body)")
                    #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                }
            }
            try await client.execute(uri: "/v1/jobs", method: .get, headers: .bearer(tenant.key)) { response in
                let page = try json(response.body)
                #expect((page["data"] as? [Any])?.isEmpty == true)
            }
        }
    }
}
