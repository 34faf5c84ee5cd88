import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ILCCore
import ILCStore
import Testing

@testable import ILCAPI

@Suite struct EvidenceAPITests {
    /// A collective with a placemat of two indicators (one without a category) and one member.
    private func collective(_ harness: APIHarness, tenant: UUID) async throws -> (id: UUID, indicators: [UUID], member: UUID) {
        let cycle = try await CycleStore(database: harness.database).create(
            tenantID: tenant, name: "pilot", startsOn: nil, endsOn: nil, settings: CycleSettings())
        let collective = try await CollectiveStore(database: harness.database).create(
            tenantID: tenant, cycleID: cycle.id, name: "A", facilitator: nil, themeID: nil)
        let placemat = try await PlacematStore(database: harness.database).write(
            tenantID: tenant, collectiveID: collective.id, expectedVersion: 0,
            draft: PlacematDraft(indicators: [
                IndicatorDraft(name: "Chronic absenteeism", kind: .lagging, category: .studentLearning, direction: .decrease),
                IndicatorDraft(name: "Same-day calls", kind: .leading),
            ]))
        let responses = SurveyResponseStore(database: harness.database)
        _ = try await responses.submit(tenantID: tenant, cycleID: cycle.id, responses: [SurveyResponseDraft(
            participant: ParticipantDraft(externalID: "M-1", name: "Member", role: .principal, district: "D"), focusStatement: "x")])
        let member = try #require(try await responses.list(
            tenantID: tenant, cycleID: cycle.id, filter: .init(), before: nil, limit: 1)?.first?.participantID)
        _ = try await CollectiveStore(database: harness.database).place(tenantID: tenant, collectiveID: collective.id, participantID: member)
        return (collective.id, placemat.content.indicators.compactMap(\.id), member)
    }

    @Test func evidenceIsRecordedWholeAndListedWithFilters() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant(scopes: [.read, .evidenceWrite])
        let setup = try await collective(harness, tenant: tenant.id)
        let (rate, calls) = (setup.indicators[0].uuidString.lowercased(), setup.indicators[1].uuidString.lowercased())
        let uri = "/v1/collectives/\(setup.id.uuidString.lowercased())/evidence"
        try await harness.test { client in
            let batch: [[String: Any]] = [
                ["indicator_id": rate, "value": 17.5, "n": 412, "observed_on": "2026-10-01", "source": "SIS export"],
                ["indicator_id": rate, "value": 16, "n": 405, "observed_on": "2026-11-01", "note": "after calls began"],
                ["indicator_id": calls, "category": "school_processes", "value": 0.8, "observed_on": "2026-11-01"],
            ]
            try await client.execute(uri: uri, method: .post, headers: jsonHeaders(tenant.key), body: try jsonBody(batch)) { response in
                #expect(response.status == .created)
                let stored = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]])
                #expect(stored.compactMap { $0["category"] as? String } == ["student_learning", "student_learning", "school_processes"])
                #expect(stored.first?["n"] as? Int == 412)
                #expect(stored.first?["source"] as? String == "SIS export")
            }
            func listed(_ query: String) async throws -> [[String: Any]] {
                try await client.execute(uri: uri + query, method: .get, headers: .bearer(tenant.key)) { response in
                    #expect(response.status == .ok, "\(query)")
                    return jsonField(response.body, "data") as? [[String: Any]] ?? []
                }
            }
            #expect(try await listed("").count == 3)
            #expect(try await listed("?category=school_processes").count == 1)
            #expect(try await listed("?indicator_id=\(rate)").compactMap { $0["value"] as? Double } == [16, 17.5])
            #expect(try await listed("?from=2026-10-15").count == 2)
            #expect(try await listed("?to=2026-10-31&indicator_id=\(rate)").count == 1)

            // One bad record stores nothing: every problem is named.
            let bad: [[String: Any]] = [
                ["indicator_id": rate, "observed_on": "2026-11-31"],
                ["indicator_id": calls, "observed_on": "2026-11-02"],
                ["indicator_id": UUID().uuidString, "observed_on": "2026-11-02"],
            ]
            try await client.execute(uri: uri, method: .post, headers: jsonHeaders(tenant.key), body: try jsonBody(bad)) { response in
                #expect(response.status == .badRequest)
                let pointers = (jsonField(response.body, "errors") as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String }
                #expect(pointers == ["/0/observed_on"])
            }
            try await client.execute(uri: uri, method: .post, headers: jsonHeaders(tenant.key), body: try jsonBody(Array(bad.dropFirst()))) { response in
                #expect(response.status == .unprocessableContent)
                let pointers = Set((jsonField(response.body, "errors") as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String })
                #expect(pointers == ["/1/indicator_id"])
            }
            try await client.execute(uri: uri, method: .post, headers: jsonHeaders(tenant.key), body: try jsonBody([bad[1]])) { response in
                #expect(response.status == .unprocessableContent)
                let pointers = (jsonField(response.body, "errors") as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String }
                #expect(pointers == ["/0/category"])
            }
            #expect(try await listed("").count == 3)
            let readOnly = try await harness.key(for: tenant.id, scopes: [.read])
            try await client.execute(uri: uri, method: .post, headers: jsonHeaders(readOnly), body: try jsonBody(batch)) { response in
                #expect(response.status == .forbidden)
            }
        }
    }

    @Test func reflectionsTakeTheCollectivesPhaseAndOnlyMembersAsAuthors() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant(scopes: [.read, .collectivesWrite])
        let setup = try await collective(harness, tenant: tenant.id)
        let uri = "/v1/collectives/\(setup.id.uuidString.lowercased())/reflections"
        try await harness.test { client in
            let body: [String: Any] = [
                "went_well": "Same-day calls reached 80% of absent students.", "did_not_go_well": "Calls in Spanish lagged.",
                "next_steps": "Pair bilingual staff with each grade team.", "author_participant_id": setup.member.uuidString,
            ]
            try await client.execute(uri: uri, method: .post, headers: jsonHeaders(tenant.key), body: try jsonBody(body)) { response in
                #expect(response.status == .created)
                #expect(jsonField(response.body, "phase") as? String == "forming_collectives")
                #expect(jsonField(response.body, "author_participant_id") as? String == setup.member.uuidString.lowercased())
            }
            try await client.execute(
                uri: uri, method: .post, headers: jsonHeaders(tenant.key), body: try jsonBody(["phase": "collecting_evidence", "went_well": "x"])
            ) { response in
                #expect(response.status == .created)
            }
            try await client.execute(
                uri: uri, method: .post, headers: jsonHeaders(tenant.key), body: try jsonBody(["author_participant_id": UUID().uuidString])
            ) { response in
                #expect(response.status == .unprocessableContent)
            }
            try await client.execute(uri: uri, method: .get, headers: .bearer(tenant.key)) { response in
                let phases = (jsonField(response.body, "data") as? [[String: Any]] ?? []).compactMap { $0["phase"] as? String }
                #expect(phases == ["collecting_evidence", "forming_collectives"])
            }
            try await client.execute(uri: uri + "?phase=forming_collectives&limit=1", method: .get, headers: .bearer(tenant.key)) { response in
                #expect((jsonField(response.body, "data") as? [Any])?.count == 1)
                #expect(jsonField(response.body, "next") == nil)
            }
        }
    }
}
