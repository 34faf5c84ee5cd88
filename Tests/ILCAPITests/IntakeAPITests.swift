import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ILCCore
import Testing

@testable import ILCAPI

@Suite struct IntakeAPITests {
    private func response(
        _ externalID: String, role: String = "principal", district: String = "Northfield USD",
        focus: String = "Chronic absenteeism in grades 6–8", extra: [String: Any] = [:]
    ) -> [String: Any] {
        var row: [String: Any] = [
            "participant": ["external_id": externalID, "name": "Educator \(externalID)", "role": role, "district": district],
            "focus_statement": focus,
        ]
        row.merge(extra) { _, new in new }
        return row
    }

    private func makeCycle(_ client: any TestClientProtocol, key: String) async throws -> String {
        try await client.execute(
            uri: "/v1/cycles", method: .post, headers: jsonHeaders(key), body: ByteBuffer(string: #"{"name":"intake"}"#)
        ) { response in
            try #require(try json(response.body)["id"] as? String)
        }
    }

    private func list(_ client: any TestClientProtocol, key: String, cycle: String, query: String = "") async throws -> [[String: Any]] {
        try await client.execute(
            uri: "/v1/cycles/\(cycle)/survey-responses\(query)", method: .get, headers: .bearer(key)
        ) { response in
            #expect(response.status == .ok)
            return try json(response.body)["data"] as? [[String: Any]] ?? []
        }
    }

    private func pointers(_ body: [String: Any]) -> [String] {
        (body["errors"] as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String }
    }

    @Test func aBatchStoresItsGoodRowsAndNamesEachBadRowAndField() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant(scopes: [.read, .surveysWrite, .collectivesWrite])
        try await harness.test { client in
            let cycle = try await makeCycle(client, key: tenant.key)
            var unreadable = response("E-2", role: "janitor")
            unreadable["focus_statement"] = 5
            unreadable["mood"] = "tired"
            var nullDistrict = response("E-3")
            nullDistrict["participant"] = ["external_id": "E-3", "name": "Educator", "role": "principal", "district": NSNull()]
            let batch: [Any] = [
                response("E-1", role: "Instructional Coach", extra: [
                    "improvement_goals": ["Cut chronic absenteeism from 18% to 12%"], "theme_preferences": ["attendance"],
                    "submitted_at": "2026-09-14T15:20:00.5+02:00",
                ]),
                unreadable, nullDistrict, response("E-1", focus: "sent twice"), "not an object",
            ]
            try await client.execute(
                uri: "/v1/cycles/\(cycle)/survey-responses", method: .post, headers: jsonHeaders(tenant.key), body: try jsonBody(batch)
            ) { answer in
                #expect(answer.status == .ok)
                let result = try json(answer.body)
                #expect(result["received"] as? Int == 5)
                #expect(result["created"] as? Int == 1)
                #expect(result["updated"] as? Int == 0)
                #expect(result["rejected"] as? Int == 4)
                #expect(Set(pointers(result)) == [
                    "/1/participant/role", "/1/focus_statement", "/1/mood", "/2/participant/district",
                    "/3/participant/external_id", "/4",
                ])
                let indexes = (result["errors"] as? [[String: Any]] ?? []).compactMap { $0["index"] as? Int }
                #expect(Set(indexes) == [1, 2, 3, 4])
            }
            let stored = try await list(client, key: tenant.key, cycle: cycle)
            #expect(stored.count == 1)
            let first = try #require(stored.first)
            let participant = first["participant"] as? [String: Any]
            #expect(participant?["role"] as? String == "instructional_coach")
            #expect(first["focus_statement"] as? String == "Chronic absenteeism in grades 6–8")
            #expect(first["theme_preferences"] as? [String] == ["attendance"])
            #expect(first["submitted_at"] as? String == "2026-09-14T13:20:00Z")
        }
    }

    @Test func resendingAParticipantUpdatesAndNeverDuplicates() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant(scopes: [.read, .surveysWrite, .collectivesWrite])
        try await harness.test { client in
            let cycle = try await makeCycle(client, key: tenant.key)
            let uri = "/v1/cycles/\(cycle)/survey-responses"
            try await client.execute(
                uri: uri, method: .post, headers: jsonHeaders(tenant.key), body: try jsonBody([response("E-1"), response("E-2")])
            ) { answer in
                let result = try json(answer.body)
                #expect(result["created"] as? Int == 2)
            }
            let before = try await list(client, key: tenant.key, cycle: cycle, query: "?external_id=E-1")
            try await client.execute(
                uri: uri, method: .post, headers: jsonHeaders(tenant.key),
                body: try jsonBody(response("E-1", district: "Riverbend SD", focus: "Tier 1 math"))
            ) { answer in
                let result = try json(answer.body)
                #expect(result["created"] as? Int == 0)
                #expect(result["updated"] as? Int == 1)
            }
            let after = try await list(client, key: tenant.key, cycle: cycle, query: "?external_id=E-1")
            #expect(after.count == 1)
            #expect(after.first?["id"] as? String == before.first?["id"] as? String)
            #expect(after.first?["focus_statement"] as? String == "Tier 1 math")
            #expect((after.first?["participant"] as? [String: Any])?["district"] as? String == "Riverbend SD")
            #expect(try await list(client, key: tenant.key, cycle: cycle).count == 2)

            // The same educator in the next cycle is the same participant.
            let nextCycle = try await makeCycle(client, key: tenant.key)
            _ = try await client.execute(
                uri: "/v1/cycles/\(nextCycle)/survey-responses", method: .post, headers: jsonHeaders(tenant.key),
                body: try jsonBody(response("E-1"))
            ) { _ in }
            let again = try await list(client, key: tenant.key, cycle: nextCycle)
            let participantID = { (row: [String: Any]?) in (row?["participant"] as? [String: Any])?["id"] as? String }
            #expect(participantID(again.first) != nil)
            #expect(participantID(again.first) == participantID(after.first))
        }
    }

    @Test func csvRowsAreStoredAndBadOnesReportedByLine() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant(scopes: [.read, .surveysWrite, .collectivesWrite])
        try await harness.test { client in
            let cycle = try await makeCycle(client, key: tenant.key)
            let csv = "\u{FEFF}External_ID,name,role,district,focus_statement,theme_preferences,improvement_goals,time_zone\r\n"
                + "C-1,\"Whitfield, Dana\",Principal,Northfield USD,\"Attendance \"\"slips\"\"\nafter winter\",attendance|equity,Goal one| Goal two ,America/Chicago\r\n"
                + "\r\n"
                + "C-2,Marcus,,Riverbend SD,Tier 1 math,,,Mars/Base\r\n"
                + "C-3,Short,other\r\n"
                + "C-4,Ann,central office,Lakeside,Data use,,,\r\n"
            try await client.execute(
                uri: "/v1/cycles/\(cycle)/survey-responses", method: .post, headers: jsonHeaders(tenant.key, [.contentType: "text/csv"]),
                body: ByteBuffer(string: csv)
            ) { answer in
                #expect(answer.status == .ok)
                let result = try json(answer.body)
                #expect(result["created"] as? Int == 2)
                #expect(result["rejected"] as? Int == 2)
                let errors = result["errors"] as? [[String: Any]] ?? []
                let located = Set(errors.compactMap { error -> String? in
                    guard let line = error["line"] as? Int, let pointer = error["pointer"] as? String else { return nil }
                    return "\(line) \(pointer)"
                })
                #expect(located == ["5 /1/role", "5 /1/time_zone", "6 /2"])
            }
            let stored = try await list(client, key: tenant.key, cycle: cycle, query: "?external_id=C-1")
            let first = try #require(stored.first)
            #expect((first["participant"] as? [String: Any])?["name"] as? String == "Whitfield, Dana")
            #expect((first["participant"] as? [String: Any])?["time_zone"] as? String == "America/Chicago")
            #expect(first["focus_statement"] as? String == "Attendance \"slips\"\nafter winter")
            #expect(first["theme_preferences"] as? [String] == ["attendance", "equity"])
            #expect(first["improvement_goals"] as? [String] == ["Goal one", "Goal two"])
            let other = try await list(client, key: tenant.key, cycle: cycle, query: "?role=central_office")
            #expect(other.compactMap { ($0["participant"] as? [String: Any])?["external_id"] as? String } == ["C-4"])
        }
    }

    @Test func bodiesThatAreNoSubmissionAreRefusedWholeAndStoreNothing() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant(scopes: [.read, .surveysWrite, .collectivesWrite])
        try await harness.test { client in
            let cycle = try await makeCycle(client, key: tenant.key)
            let uri = "/v1/cycles/\(cycle)/survey-responses"
            let tooMany = try jsonBody(Array(repeating: response("E-1"), count: IntakeEntry.batchLimit + 1))
            let refusals: [(String, ByteBuffer, String)] = [
                ("application/json", ByteBuffer(string: "[]"), ""),
                ("application/json", ByteBuffer(string: #""hello""#), ""),
                ("application/json", tooMany, ""),
                ("application/json", try jsonBody(response("E-1", role: "nobody")), "/participant/role"),
                ("application/json", try jsonBody([response("E-1", role: "nobody")]), "/0/participant/role"),
                ("text/csv", ByteBuffer(string: "external_id,name,role,district,focus_statement,shoe_size\nA,B,other,D,F,9\n"), "/header"),
                ("text/csv", ByteBuffer(string: "external_id,name,role,district\nA,B,other,D\n"), "/header"),
                ("text/csv", ByteBuffer(string: "external_id,name,role,district,focus_statement\nA,\"B,other,D,F\n"), ""),
                ("text/csv", ByteBuffer(string: "external_id,name,role,district,focus_statement\n"), ""),
                ("text/csv", ByteBuffer(bytes: [0x61, 0xFF, 0x0A]), ""),
            ]
            for (contentType, body, pointer) in refusals {
                try await client.execute(uri: uri, method: .post, headers: jsonHeaders(tenant.key, [.contentType: contentType]), body: body) { answer in
                    #expect(answer.status == .badRequest, "\(String(buffer: body).prefix(80))")
                    #expect(answer.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                    let problem = try json(answer.body)
                    #expect(pointers(problem).first == pointer, "\(String(buffer: body).prefix(80))")
                }
            }
            #expect(try await list(client, key: tenant.key, cycle: cycle).isEmpty)
        }
    }

    @Test func listingsFilterAndPage() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant(scopes: [.read, .surveysWrite, .collectivesWrite])
        try await harness.test { client in
            let cycle = try await makeCycle(client, key: tenant.key)
            let rows = [
                response("L-1", role: "principal", district: "North"),
                response("L-2", role: "principal", district: "South", extra: ["participant": [
                    "external_id": "L-2", "name": "Two", "role": "principal", "district": "South", "region": "Coast",
                    "school": "Bay High",
                ]]),
                response("L-3", role: "teacher_leader", district: "North"),
                response("L-4", role: "superintendent", district: "East"),
            ]
            for row in rows {  // one at a time, so their order is known
                _ = try await client.execute(
                    uri: "/v1/cycles/\(cycle)/survey-responses", method: .post, headers: jsonHeaders(tenant.key), body: try jsonBody(row)
                ) { _ in }
            }
            func externalIDs(_ query: String) async throws -> [String] {
                try await list(client, key: tenant.key, cycle: cycle, query: query).compactMap {
                    ($0["participant"] as? [String: Any])?["external_id"] as? String
                }
            }
            #expect(try await externalIDs("") == ["L-4", "L-3", "L-2", "L-1"])
            #expect(try await externalIDs("?role=principal") == ["L-2", "L-1"])
            #expect(try await externalIDs("?district=North") == ["L-3", "L-1"])
            #expect(try await externalIDs("?role=principal&district=North") == ["L-1"])
            #expect(try await externalIDs("?region=Coast&school=Bay%20High") == ["L-2"])
            let next = try await client.execute(
                uri: "/v1/cycles/\(cycle)/survey-responses?limit=3", method: .get, headers: .bearer(tenant.key)
            ) { answer in
                try #require(try json(answer.body)["next"] as? String)
            }
            #expect(try await externalIDs("?limit=3&cursor=\(next)") == ["L-1"])
            try await client.execute(
                uri: "/v1/cycles/\(cycle)/survey-responses?role=janitor", method: .get, headers: .bearer(tenant.key)
            ) { answer in
                #expect(answer.status == .badRequest)
            }
            try await client.execute(
                uri: "/v1/cycles/\(UUID().uuidString.lowercased())/survey-responses", method: .get, headers: .bearer(tenant.key)
            ) { answer in
                #expect(answer.status == .notFound)
            }
        }
    }

    @Test func intakeNeedsItsScopesAndAnotherTenantsCycleIsNotFound() async throws {
        let harness = try await APIHarness.make()
        let owner = try await harness.tenant(scopes: [.read, .surveysWrite, .collectivesWrite])
        let readOnly = try await harness.key(for: owner.id, scopes: [.read])
        let writeOnly = try await harness.key(for: owner.id, scopes: [.surveysWrite])
        let intruder = try await harness.tenant(scopes: [.admin])
        try await harness.test { client in
            let cycle = try await makeCycle(client, key: owner.key)
            let uri = "/v1/cycles/\(cycle)/survey-responses"
            try await client.execute(uri: uri, method: .post, headers: jsonHeaders(readOnly), body: try jsonBody(response("S-1"))) { answer in
                #expect(answer.status == .forbidden)
            }
            try await client.execute(uri: uri, method: .get, headers: .bearer(writeOnly)) { answer in
                #expect(answer.status == .forbidden)
            }
            try await client.execute(uri: uri, method: .post, headers: jsonHeaders(writeOnly), body: try jsonBody(response("S-1"))) { answer in
                #expect(answer.status == .ok)
            }
            for body in [try jsonBody(response("S-2")), try jsonBody(response("S-2", role: "nobody"))] {
                try await client.execute(uri: uri, method: .post, headers: jsonHeaders(intruder.key), body: body) { answer in
                    #expect(answer.status == .notFound)
                }
            }
            try await client.execute(uri: uri, method: .get, headers: .bearer(intruder.key)) { answer in
                #expect(answer.status == .notFound)
                #expect(!String(buffer: answer.body).contains("S-1"))
            }
            #expect(try await list(client, key: owner.key, cycle: cycle).count == 1)
        }
    }
}
