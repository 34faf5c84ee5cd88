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
            ("/v1/reports", #"{"kind": "cycle_summary", "cycle_id": "\#(cycle)", "format": "csv"}"#, "report-generation"),
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
                    if !["theme-detection", "group-formation", "knowledge-sharing", "report-generation"].contains(type) { #expect(job["state"] as? String == "queued") }
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
                case "report-generation":
                    #expect(payload["format"] as? String == "csv")
                    #expect(payload["kind"] as? String == "cycle_summary")
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
            ("/v1/reports", #"{"kind": "cycle_summary", "cycle_id": "\#(UUID())"}"#, .notFound),
            ("/v1/reports", #"{"kind": "cycle_summary", "cycle_id": "\#(cycle)", "format": "pdf"}"#, .badRequest),
            ("/v1/reports", #"{"cycle_id": "\#(cycle)"}"#, .badRequest),
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

    /// Participants (ids) of a new cycle with intake responses.
    private func educators(_ harness: APIHarness, tenant: UUID, cycle: String, count: Int) async throws -> [String] {
        let cycleID = try #require(UUID(uuidString: cycle))
        let store = SurveyResponseStore(database: harness.database)
        _ = try await store.submit(tenantID: tenant, cycleID: cycleID, responses: (0..<count).map { index in
            SurveyResponseDraft(
                participant: ParticipantDraft(externalID: "E-\(index)", name: "Educator \(index)", role: .principal, district: "D\(index)"),
                focusStatement: "attendance")
        })
        let responses = try await store.list(tenantID: tenant, cycleID: cycleID, filter: .init(), before: nil, limit: 50) ?? []
        return responses.map { $0.participantID.uuidString.lowercased() }.sorted()
    }

    @Test func groupFormationTakesAvoidAndTogetherPairsOfTheCyclesOwnParticipants() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant(scopes: [.read, .jobsWrite])
        let other = try await harness.tenant(scopes: [.read, .jobsWrite])
        let cycle = try await cycle(harness, tenant: tenant.id)
        let people = try await educators(harness, tenant: tenant.id, cycle: cycle, count: 4)
        let otherCycle = try await self.cycle(harness, tenant: other.id)
        let strangers = try await educators(harness, tenant: other.id, cycle: otherCycle, count: 2)
        let uri = "/v1/cycles/\(cycle)/group-formation"
        @Sendable func pairs(_ avoid: [[String]], _ together: [[String]]) throws -> ByteBuffer {
            try jsonBody(["seed": 1, "avoid": avoid, "together": together])
        }
        try await harness.test { client in
            // Malformed pairs: every one named, nothing queued.
            try await client.execute(
                uri: uri, method: .post, headers: jsonHeaders(tenant.key), body: try pairs([[people[0], people[0]]], [[people[1], "x"]])
            ) { response in
                #expect(response.status == .badRequest)
                let pointers = (try json(response.body)["errors"] as? [[String: String]])?.compactMap { $0["pointer"] }
                #expect(pointers == ["/avoid/0", "/together/0"])
            }
            // Another tenant's participants (or made-up ids) are no participants of this
            // cycle: the same answer for both, so nothing is learned about the other tenant.
            try await client.execute(
                uri: uri, method: .post, headers: jsonHeaders(tenant.key),
                body: try pairs([[people[0], strangers[0]]], [[UUID().uuidString, people[1]]])
            ) { response in
                #expect(response.status == .unprocessableContent)
                let errors = try json(response.body)["errors"] as? [[String: String]] ?? []
                #expect(errors.compactMap { $0["pointer"] } == ["/avoid/0/1", "/together/0/0"])
                #expect(Set(errors.compactMap { $0["detail"] }) == ["is no participant of this cycle"])
            }
            try await client.execute(uri: "/v1/jobs", method: .get, headers: .bearer(tenant.key)) { response in
                let page = try json(response.body)
                #expect((page["data"] as? [Any])?.isEmpty == true)
            }
            // The other tenant cannot start formation on this cycle with its own people either.
            try await client.execute(
                uri: uri, method: .post, headers: jsonHeaders(other.key), body: try pairs([[strangers[0], strangers[1]]], [])
            ) { response in
                #expect(response.status == .notFound)
            }
            let id = try await client.execute(
                uri: uri, method: .post, headers: jsonHeaders(tenant.key), body: try pairs([[people[0], people[1]]], [[people[2], people[3]]])
            ) { response in
                #expect(response.status == .accepted)
                return try #require(UUID(uuidString: try json(response.body)["id"] as? String ?? ""))
            }
            let record = try #require(try await harness.queues.job(tenantID: tenant.id, id: id))
            let payload = try #require(try JSONSerialization.jsonObject(with: Data(record.payload.utf8)) as? [String: Any])
            #expect(payload["avoid"] as? [[String]] == [[people[0], people[1]]])
            #expect(payload["together"] as? [[String]] == [[people[2], people[3]]])
        }
    }
}
