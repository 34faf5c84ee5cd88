import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ILCCore
import ILCStore
import Testing

@testable import ILCAPI

@Suite struct ThemesAPITests {
    @Test func facilitatorsRenameApproveAndMergeThemes() async throws {
        let harness = try await APIHarness.make()
        let tenant = try await harness.tenant(scopes: [.read, .collectivesWrite])
        let database = harness.database
        let cycle = try await CycleStore(database: database).create(
            tenantID: tenant.id, name: "pilot", startsOn: nil, endsOn: nil, settings: CycleSettings())
        let other = try await CycleStore(database: database).create(
            tenantID: tenant.id, name: "next", startsOn: nil, endsOn: nil, settings: CycleSettings())
        let (attendance, truancy, elsewhere) = (UUID(), UUID(), UUID())
        let (a, t) = (attendance.uuidString.lowercased(), truancy.uuidString.lowercased())
        _ = try await SurveyResponseStore(database: database).submit(
            tenantID: tenant.id, cycleID: cycle.id,
            responses: [("R-1", ["literacy", t]), ("R-2", [t, a]), ("R-3", [a])].map { externalID, preferences in
                SurveyResponseDraft(
                    participant: ParticipantDraft(externalID: externalID, name: externalID, role: .principal, district: "D"),
                    focusStatement: "attendance", themePreferences: preferences)
            })
        let collective = try await CollectiveStore(database: database).create(
            tenantID: tenant.id, cycleID: cycle.id, name: "A", facilitator: nil, themeID: nil)
        try await database.withTenantTransaction(tenant.id) { transaction in
            try await transaction.query(
                """
                INSERT INTO themes (tenant_id, id, cycle_id, label, keywords, size, quotes) VALUES
                    (\(tenant.id), \(attendance), \(cycle.id), 'Attendance', ARRAY['absent', 'attendance'], 2,
                     '[{"text": "Too many students miss school"}]'),
                    (\(tenant.id), \(truancy), \(cycle.id), 'Truancy', ARRAY['absent', 'truancy'], 1, '[]'),
                    (\(tenant.id), \(elsewhere), \(other.id), 'Literacy', ARRAY['reading'], 4, '[]')
                """)
            try await transaction.query(
                """
                INSERT INTO theme_assignments (tenant_id, response_id, cycle_id, theme_id, score, second_theme_id)
                SELECT s.tenant_id, s.id, s.cycle_id,
                    CASE p.external_id WHEN 'R-2' THEN \(truancy) ELSE \(attendance) END, 0.5,
                    CASE p.external_id WHEN 'R-1' THEN \(truancy) WHEN 'R-2' THEN \(attendance) END
                FROM survey_responses s JOIN participants p ON p.id = s.participant_id
                WHERE s.cycle_id = \(cycle.id)
                """)
            try await transaction.query("UPDATE collectives SET theme_id = \(truancy) WHERE id = \(collective.id)")
        }
        try await harness.test { client in
            let listing = "/v1/cycles/\(cycle.id.uuidString.lowercased())/themes"
            try await client.execute(uri: listing, method: .get, headers: .bearer(tenant.key)) { response in
                let themes = jsonField(response.body, "data") as? [[String: Any]] ?? []
                #expect(themes.compactMap { $0["label"] as? String } == ["Attendance", "Truancy"])
                #expect(themes.first?["approved"] as? Bool == false)
                #expect((themes.first?["quotes"] as? [[String: Any]])?.first?["text"] as? String == "Too many students miss school")
            }
            try await client.execute(
                uri: "/v1/themes/\(a)", method: .patch, headers: jsonHeaders(tenant.key),
                body: try jsonBody(["label": "Attendance and chronic absenteeism", "approved": true])
            ) { response in
                #expect(response.status == .ok)
                #expect(jsonField(response.body, "label") as? String == "Attendance and chronic absenteeism")
                #expect(jsonField(response.body, "approved") as? Bool == true)
                #expect(jsonField(response.body, "approved_at") != nil)
            }
            try await client.execute(
                uri: "/v1/themes/\(t)/merge", method: .post, headers: jsonHeaders(tenant.key), body: try jsonBody(["into_theme_id": a])
            ) { response in
                #expect(response.status == .ok)
                #expect(jsonField(response.body, "size") as? Int == 3)
                #expect(jsonField(response.body, "keywords") as? [String] == ["absent", "attendance", "truancy"])
                #expect(jsonField(response.body, "approved") as? Bool == true)
            }
            try await client.execute(uri: listing, method: .get, headers: .bearer(tenant.key)) { response in
                #expect((jsonField(response.body, "data") as? [Any])?.count == 1)
            }
            #expect(try await CollectiveStore(database: database).find(tenantID: tenant.id, id: collective.id)?.themeID == attendance)
            let moved = try await database.withTenantTransaction(tenant.id) { transaction in
                try await transaction.query(
                    """
                    SELECT p.external_id, a.theme_id, a.second_theme_id, s.theme_preferences
                    FROM theme_assignments a JOIN survey_responses s ON s.id = a.response_id
                    JOIN participants p ON p.id = s.participant_id ORDER BY p.external_id
                    """
                ).map { try $0.decode((String, UUID?, UUID?, [String]).self) }
            }
            #expect(moved.map(\.0) == ["R-1", "R-2", "R-3"])
            #expect(moved.allSatisfy { $0.1 == attendance && $0.2 == nil })
            #expect(moved.map(\.3) == [["literacy", a], [a], [a]])

            for (uri, into) in [("/v1/themes/\(a)/merge", a), ("/v1/themes/\(a)/merge", elsewhere.uuidString)] {
                try await client.execute(uri: uri, method: .post, headers: jsonHeaders(tenant.key), body: try jsonBody(["into_theme_id": into])) { response in
                    #expect(response.status == .unprocessableContent)
                }
            }
            try await client.execute(
                uri: "/v1/themes/\(t)", method: .patch, headers: jsonHeaders(tenant.key), body: try jsonBody(["approved": true])
            ) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(
                uri: "/v1/themes/\(a)", method: .patch, headers: jsonHeaders(tenant.key), body: try jsonBody(["approved": false])
            ) { response in
                #expect(jsonField(response.body, "approved") as? Bool == false)
                #expect(jsonField(response.body, "approved_at") == nil)
            }
            let readOnly = try await harness.key(for: tenant.id, scopes: [.read])
            try await client.execute(
                uri: "/v1/themes/\(a)", method: .patch, headers: jsonHeaders(readOnly), body: try jsonBody(["label": "x"])
            ) { response in
                #expect(response.status == .forbidden)
            }
        }
    }
}
