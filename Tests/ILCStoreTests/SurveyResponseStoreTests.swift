import ILCTestSupport
import Foundation
import ILCCore
import Testing

@testable import ILCStore

@Suite struct SurveyResponseStoreTests {
    private func draft(_ index: Int, district: String = "Northfield USD", focus: String = "Chronic absenteeism") -> SurveyResponseDraft {
        SurveyResponseDraft(
            participant: ParticipantDraft(
                externalID: "EDU-\(index)", name: "Educator \(index)", email: index % 2 == 0 ? "e\(index)@k12.example" : nil,
                role: ParticipantRole.allCases[index % ParticipantRole.allCases.count], district: district,
                timeZone: index % 3 == 0 ? "America/Chicago" : nil),
            focusStatement: focus, improvementGoals: index % 2 == 0 ? ["Goal \(index)", "Another"] : [],
            themePreferences: ["attendance"])
    }

    @Test func aFullBatchIsStoredAndResendingUpdatesWithoutDuplicates() async throws {
        try await TestDatabase.withApp { database in
            let tenant = try await TestDatabase.makeTenant(database)
            let cycle = try await CycleStore(database: database).create(
                tenantID: tenant.id, name: "intake", startsOn: nil, endsOn: nil, settings: CycleSettings())
            let store = SurveyResponseStore(database: database)
            let first = try await store.submit(tenantID: tenant.id, cycleID: cycle.id, responses: (0..<5_000).map { draft($0) })
            #expect(first == .init(created: 5_000, updated: 0))

            let again = (4_000..<6_000).map { draft($0, district: "Riverbend SD", focus: "Tier 1 math") }
            let second = try await store.submit(tenantID: tenant.id, cycleID: cycle.id, responses: again)
            #expect(second == .init(created: 1_000, updated: 1_000))

            let counts = try await database.withTenantTransaction(tenant.id) { transaction in
                try await transaction.query(
                    "SELECT (SELECT count(*) FROM participants), (SELECT count(*) FROM survey_responses)"
                )[0].decode((Int, Int).self)
            }
            #expect(counts == (6_000, 6_000))
            let changed = try #require(try await store.list(
                tenantID: tenant.id, cycleID: cycle.id, filter: .init(externalID: "EDU-4000"), before: nil, limit: 5))
            #expect(changed.count == 1)
            #expect(changed.first?.participant.district == "Riverbend SD")
            #expect(changed.first?.focusStatement == "Tier 1 math")
            #expect(changed.first?.improvementGoals == ["Goal 4000", "Another"])
            let kept = try await store.list(
                tenantID: tenant.id, cycleID: cycle.id, filter: .init(externalID: "EDU-3"), before: nil, limit: 5)
            #expect(kept?.first?.participant == draft(3).participant)
            #expect(kept?.first?.improvementGoals == [])
        }
    }

    @Test func aParticipantTwiceInOneCallAndAnotherTenantsCycleAreRefused() async throws {
        try await TestDatabase.withApp { database in
            let owner = try await TestDatabase.makeTenant(database)
            let other = try await TestDatabase.makeTenant(database)
            let cycle = try await CycleStore(database: database).create(
                tenantID: owner.id, name: "intake", startsOn: nil, endsOn: nil, settings: CycleSettings())
            let store = SurveyResponseStore(database: database)
            await #expect(throws: StoreError.self) {
                _ = try await store.submit(tenantID: owner.id, cycleID: cycle.id, responses: [draft(1), draft(1)])
            }
            #expect(try await store.submit(tenantID: other.id, cycleID: cycle.id, responses: [draft(1)]) == nil)
            #expect(try await store.list(tenantID: other.id, cycleID: cycle.id, filter: .init(), before: nil, limit: 5) == nil)
            #expect(try await store.list(tenantID: owner.id, cycleID: cycle.id, filter: .init(), before: nil, limit: 5) == [])
        }
    }

    @Test func listsAreWrittenAsJSONThatReadsBackExactly() throws {
        let items = ["plain", "quote \" and \\ backslash", "line\nbreak\ttab\r", "bell \u{7} nul-free", "ünïcødé ✓", ""]
        let text = IntakeColumns.jsonArray(items)
        let decoded = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String]
        #expect(decoded == items)
        #expect(IntakeColumns.jsonArray([]) == "[]")
    }
}
