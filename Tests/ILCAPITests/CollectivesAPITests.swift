import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ILCCore
import ILCStore
import Testing

@testable import ILCAPI

@Suite struct CollectivesAPITests {
    /// A cycle with `educators` intake responses; their participant ids in order.
    private func cycle(
        _ harness: APIHarness, tenant: UUID, educators: Int = 0, settings: CycleSettings = CycleSettings(), prefix: String = "E"
    ) async throws -> (id: UUID, participants: [UUID]) {
        let cycle = try await CycleStore(database: harness.database).create(
            tenantID: tenant, name: "pilot", startsOn: nil, endsOn: nil, settings: settings)
        guard educators > 0 else { return (cycle.id, []) }
        let store = SurveyResponseStore(database: harness.database)
        _ = try await store.submit(tenantID: tenant, cycleID: cycle.id, responses: (0..<educators).map { index in
            SurveyResponseDraft(
                participant: ParticipantDraft(externalID: "\(prefix)-\(index)", name: "Educator \(index)", role: .principal, district: "D\(index)"),
                focusStatement: "attendance")
        })
        let responses = try await store.list(tenantID: tenant, cycleID: cycle.id, filter: .init(), before: nil, limit: 200) ?? []
        let byExternalID = Dictionary(uniqueKeysWithValues: responses.map { ($0.participant.externalID, $0.participantID) })
        return (cycle.id, (0..<educators).compactMap { byExternalID["\(prefix)-\($0)"] })
    }

    private func create(_ client: any TestClientProtocol, key: String, cycle: UUID, name: String) async throws -> String {
        try await client.execute(
            uri: "/v1/cycles/\(cycle.uuidString.lowercased())/collectives", method: .post, headers: jsonHeaders(key),
            body: try jsonBody(["name": name, "facilitator": "Jordan Ellis"])
        ) { response in
            #expect(response.status == .created)
            let id = try #require(try json(response.body)["id"] as? String)
            #expect(response.headers[.location] == "/v1/collectives/\(id)")
            return id
        }
    }

    @Test func collectivesAreCreatedListedRenamedAndMoveThroughPhasesInOrder() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant(scopes: [.read, .collectivesWrite])
        let cycle = try await cycle(harness, tenant: tenant.id)
        try await harness.test { client in
            let first = try await create(client, key: tenant.key, cycle: cycle.id, name: "Attendance A")
            let second = try await create(client, key: tenant.key, cycle: cycle.id, name: "Attendance B")
            let uri = "/v1/collectives/\(first)"
            try await client.execute(uri: uri, method: .get, headers: .bearer(tenant.key)) { response in
                let collective = try json(response.body)
                #expect(collective["phase"] as? String == "forming_collectives")
                #expect(collective["member_count"] as? Int == 0)
                #expect(collective["facilitator"] as? String == "Jordan Ellis")
            }
            try await client.execute(
                uri: uri, method: .patch, headers: jsonHeaders(tenant.key), body: try jsonBody(["name": "Attendance North"])
            ) { response in
                #expect(response.status == .ok)
                #expect(jsonField(response.body, "name") as? String == "Attendance North")
            }
            // Not ahead of the cycle, which is still gathering themes.
            let forward = try jsonBody(["phase": "designing_inquiry"])
            try await client.execute(uri: uri, method: .patch, headers: jsonHeaders(tenant.key), body: forward) { response in
                #expect(response.status == .conflict)
                #expect(jsonField(response.body, "code") as? String == "phase_order")
            }
            for phase in [CyclePhase.formingCollectives, .designingInquiry, .collectingEvidence] {
                _ = try await CycleStore(database: harness.database).update(tenantID: tenant.id, id: cycle.id) { current in
                    var next = current
                    next.phase = phase
                    return next
                }
            }
            try await client.execute(uri: uri, method: .patch, headers: jsonHeaders(tenant.key), body: forward) { response in
                #expect(response.status == .ok)
                #expect(jsonField(response.body, "phase") as? String == "designing_inquiry")
            }
            for skipped in ["reviewing_progress", "forming_collectives"] {
                try await client.execute(
                    uri: uri, method: .patch, headers: jsonHeaders(tenant.key), body: try jsonBody(["phase": skipped])
                ) { response in
                    #expect(response.status == .conflict, "\(skipped)")
                }
            }
            let listing = "/v1/cycles/\(cycle.id.uuidString.lowercased())/collectives"
            try await client.execute(uri: listing, method: .get, headers: .bearer(tenant.key)) { response in
                let ids = (try json(response.body)["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                #expect(ids == [second, first])
            }
            try await client.execute(uri: listing + "?phase=designing_inquiry", method: .get, headers: .bearer(tenant.key)) { response in
                let ids = (try json(response.body)["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                #expect(ids == [first])
            }
            try await client.execute(
                uri: uri, method: .patch, headers: jsonHeaders(tenant.key), body: try jsonBody(["theme_id": UUID().uuidString])
            ) { response in
                #expect(response.status == .unprocessableContent)
            }
            try await client.execute(
                uri: listing, method: .post, headers: jsonHeaders(tenant.key), body: try jsonBody(["name": " "])
            ) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func placingMembersMovesThemAndNeverOverfillsACollective() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant(scopes: [.read, .collectivesWrite])
        let intruder = try await harness.tenant(scopes: [.admin])
        let cycle = try await cycle(harness, tenant: tenant.id, educators: 3, settings: CycleSettings(groupSizeMin: 2, groupSizeMax: 2))
        let elsewhere = try await self.cycle(harness, tenant: tenant.id, educators: 1, prefix: "other-cycle")
        let intruderCycle = try await self.cycle(harness, tenant: intruder.id)
        try await harness.test { client in
            let first = try await create(client, key: tenant.key, cycle: cycle.id, name: "A")
            let second = try await create(client, key: tenant.key, cycle: cycle.id, name: "B")
            func place(_ participant: UUID, in collective: String, key: String? = nil) async throws -> (HTTPResponse.Status, [String: Any]) {
                try await client.execute(
                    uri: "/v1/collectives/\(collective)/members/\(participant.uuidString.lowercased())", method: .put,
                    headers: .bearer(key ?? tenant.key)
                ) { response in (response.status, try json(response.body)) }
            }
            func memberIDs(_ body: [String: Any]) -> Set<String> {
                Set((body["members"] as? [[String: Any]] ?? []).compactMap { $0["participant_id"] as? String })
            }
            let (p0, p1, p2) = (cycle.participants[0], cycle.participants[1], cycle.participants[2])
            #expect(try await place(p0, in: first).0 == .ok)
            let (status, full) = try await place(p1, in: first)
            #expect(status == .ok)
            #expect(full["member_count"] as? Int == 2)
            #expect((full["members"] as? [[String: Any]])?.allSatisfy { $0["locked"] as? Bool == true } == true)
            let (overfull, problem) = try await place(p2, in: first)
            #expect(overfull == .conflict)
            #expect(problem["code"] as? String == "collective_full")

            let (moved, into) = try await place(p0, in: second)
            #expect(moved == .ok)
            #expect(memberIDs(into) == [p0.uuidString.lowercased()])
            let (again, same) = try await place(p0, in: second)
            #expect(again == .ok)
            #expect(memberIDs(same) == [p0.uuidString.lowercased()])
            try await client.execute(uri: "/v1/collectives/\(first)", method: .get, headers: .bearer(tenant.key)) { response in
                let body = try json(response.body)
                #expect(memberIDs(body) == [p1.uuidString.lowercased()])
            }

            #expect(try await place(elsewhere.participants[0], in: first).0 == .unprocessableContent)
            #expect(try await place(UUID(), in: first).0 == .notFound)
            // Another tenant cannot pull this tenant's educator into a collective of its own.
            let theirs = try await create(client, key: intruder.key, cycle: intruderCycle.id, name: "theirs")
            #expect(try await place(p2, in: theirs, key: intruder.key).0 == .notFound)
            let readOnly = try await harness.key(for: tenant.id, scopes: [.read])
            #expect(try await place(p2, in: second, key: readOnly).0 == .forbidden)
        }
    }

    @Test func placematsAreVersionedAndKeepTheirIndicators() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant(scopes: [.read, .collectivesWrite])
        let cycle = try await cycle(harness, tenant: tenant.id)
        try await harness.test { client in
            let collective = try await create(client, key: tenant.key, cycle: cycle.id, name: "A")
            let uri = "/v1/collectives/\(collective)/placemat"
            try await client.execute(uri: uri, method: .get, headers: .bearer(tenant.key)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.eTag] == "\"0\"")
                let placemat = try json(response.body)
                #expect(placemat["version"] as? Int == 0)
                #expect((placemat["indicators"] as? [Any])?.isEmpty == true)
            }
            let firstWrite: [String: Any] = [
                "problem_of_practice": "Too many students miss school.",
                "priorities": ["Know every absent student by name"],
                "theory_of_action": "If every absence gets a same-day call, attendance rises.",
                "indicators": [
                    ["name": "Chronic absenteeism", "kind": "lagging", "category": "student_learning", "direction": "decrease",
                     "baseline": 18, "baseline_on": "2026-09-01", "target": 12, "unit": "percent"],
                    ["name": "Same-day calls", "kind": "leading", "category": "school_processes"],
                ],
            ]
            let indicators = try await client.execute(
                uri: uri, method: .put, headers: jsonHeaders(tenant.key, [.ifMatch: "\"0\""]), body: try jsonBody(firstWrite)
            ) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.eTag] == "\"1\"")
                let placemat = try json(response.body)
                let written = placemat["indicators"] as? [[String: Any]] ?? []
                #expect(written.compactMap { $0["name"] as? String } == ["Chronic absenteeism", "Same-day calls"])
                #expect(written.first?["direction"] as? String == "decrease")
                #expect(written.first?["baseline_on"] as? String == "2026-09-01")
                #expect(written.last?["direction"] as? String == "increase")
                return written.compactMap { $0["id"] as? String }
            }
            try #require(indicators.count == 2)
            // A second writer who read version 0 loses, and changes nothing.
            try await client.execute(
                uri: uri, method: .put, headers: jsonHeaders(tenant.key, [.ifMatch: "\"0\""]), body: try jsonBody(["theory_of_action": "x"])
            ) { response in
                #expect(response.status == .preconditionFailed)
                #expect(jsonField(response.body, "code") as? String == "stale_version")
            }
            // Evidence pins its indicator.
            try await harness.database.withTenantTransaction(tenant.id) { transaction in
                try await transaction.query(
                    """
                    INSERT INTO evidence (tenant_id, id, collective_id, indicator_id, category, observed_on, value)
                    VALUES (\(tenant.id), \(UUID()), \(UUID(uuidString: collective)), \(UUID(uuidString: indicators[0])),
                        'student_learning', '2026-10-01', 17)
                    """)
            }
            try await client.execute(
                uri: uri, method: .put, headers: jsonHeaders(tenant.key), body: try jsonBody(["indicators": [["id": indicators[1], "name": "Calls", "kind": "leading"]]])
            ) { response in
                #expect(response.status == .conflict)
                #expect(jsonField(response.body, "code") as? String == "indicator_has_evidence")
            }
            let secondWrite: [String: Any] = [
                "problem_of_practice": "Too many students miss school.",
                "indicators": [
                    ["name": "Family contacts", "kind": "leading"],
                    ["id": indicators[0], "name": "Chronic absenteeism rate", "kind": "lagging", "direction": "decrease"],
                ],
            ]
            try await client.execute(
                uri: uri, method: .put, headers: jsonHeaders(tenant.key, [.ifMatch: "\"1\""]), body: try jsonBody(secondWrite)
            ) { response in
                #expect(response.status == .ok)
                let written = try json(response.body)["indicators"] as? [[String: Any]] ?? []
                #expect(written.compactMap { $0["name"] as? String } == ["Family contacts", "Chronic absenteeism rate"])
                #expect(written.last?["id"] as? String == indicators[0])
                #expect(!written.contains { $0["id"] as? String == indicators[1] })
            }
            try await client.execute(uri: uri, method: .get, headers: .bearer(tenant.key)) { response in
                #expect(response.headers[.eTag] == "\"2\"")
                #expect(jsonField(response.body, "priorities") as? [String] == [])
            }
            let invalid: [String: Any] = ["indicators": [
                ["id": UUID().uuidString, "name": "x", "kind": "leading"], ["name": " ", "kind": "lagging", "target_on": "2026-02-30"],
            ]]
            try await client.execute(uri: uri, method: .put, headers: jsonHeaders(tenant.key), body: try jsonBody(invalid)) { response in
                #expect(response.status == .badRequest)
                let pointers = Set((jsonField(response.body, "errors") as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String })
                #expect(pointers == ["/indicators/1/name", "/indicators/1/target_on"])
            }
            try await client.execute(
                uri: uri, method: .put, headers: jsonHeaders(tenant.key), body: try jsonBody(["indicators": [["id": UUID().uuidString, "name": "x", "kind": "leading"]]])
            ) { response in
                #expect(response.status == .unprocessableContent)
            }
            let readOnly = try await harness.key(for: tenant.id, scopes: [.read])
            try await client.execute(uri: uri, method: .put, headers: jsonHeaders(readOnly), body: try jsonBody([:])) { response in
                #expect(response.status == .forbidden)
            }
        }
    }
}
