import Foundation
import ILCCore
import ILCTestSupport
import Testing

@testable import ILCStore

@Suite struct FormationStoreTests {
    /// A cycle with 8 educators (two of them ranking themes by catalog key) and two themes.
    private func cycle(_ database: Database, tenant: UUID) async throws -> (cycle: UUID, themes: [UUID]) {
        let cycle = try await CycleStore(database: database).create(
            tenantID: tenant, name: "formation", startsOn: "2026-09-01", endsOn: nil, settings: CycleSettings(maxGroups: 2))
        let drafts = (0..<8).map { index in
            SurveyResponseDraft(
                participant: ParticipantDraft(
                    externalID: "E\(index)", name: "Educator \(index)", email: nil,
                    role: ParticipantRole.allCases[index % 3], district: "D\(index % 4)", timeZone: "America/Denver"),
                focusStatement: "Focus \(index)", improvementGoals: [], themePreferences: index < 2 ? ["literacy"] : [])
        }
        _ = try await SurveyResponseStore(database: database).submit(tenantID: tenant, cycleID: cycle.id, responses: drafts)
        let themes = [TimeOrderedID.make(), TimeOrderedID.make()]
        try await database.withTenantTransaction(tenant) { transaction in
            try await transaction.query(
                """
                INSERT INTO themes (tenant_id, id, cycle_id, label, catalog_key)
                VALUES (\(tenant), \(themes[0]), \(cycle.id), 'Attendance', 'attendance'),
                       (\(tenant), \(themes[1]), \(cycle.id), 'Literacy', 'literacy')
                """)
        }
        return (cycle.id, themes)
    }

    private func plan(_ source: FormationSource, themes: [UUID]) -> FormationPlan {
        let people = source.participants.map(\.id)
        return FormationPlan(
            collectives: [
                .init(id: TimeOrderedID.make(), themeID: themes[0], name: "Attendance 1", members: Array(people[0..<4])),
                .init(id: TimeOrderedID.make(), themeID: themes[1], name: "Literacy 1", members: Array(people[4..<8])),
            ],
            lockedCollectives: source.lockedCollectives)
    }

    @Test func aRunReplacesTheLastOneButKeepsLockedPlacements() async throws {
        try await TestDatabase.withApp { database in
            let tenant = try await TestDatabase.makeTenant(database)
            let (cycle, themes) = try await cycle(database, tenant: tenant.id)
            let store = CollectiveStore(database: database)
            let source = try #require(try await store.formationSource(tenantID: tenant.id, cycleID: cycle))
            #expect(source.participants.count == 8)
            #expect(Set(source.themes.compactMap(\.catalogKey)) == ["attendance", "literacy"])
            #expect(source.participants.filter { $0.preferences == ["literacy"] }.count == 2)
            #expect(source.participants.allSatisfy { $0.timeZone == "America/Denver" })
            #expect(source.cycle.settings.maxGroups == 2)

            let first = plan(source, themes: themes)
            try await store.replaceFormation(tenantID: tenant.id, cycleID: cycle, jobID: UUID(), plan: first)
            let listed = try #require(try await store.list(tenantID: tenant.id, cycleID: cycle, phase: nil, themeID: nil, before: nil, limit: 10))
            #expect(listed.map(\.members.count) == [4, 4])

            // A facilitator moves someone: a plan made before that is stale.
            let moved = first.collectives[1].members[0]
            _ = try await store.place(tenantID: tenant.id, collectiveID: first.collectives[0].id, participantID: moved)
            await #expect(throws: CollectiveStore.FormationRefusal.locksChanged) {
                try await store.replaceFormation(tenantID: tenant.id, cycleID: cycle, jobID: UUID(), plan: first)
            }
            // A fresh plan keeps the locked collective (and its id), replaces the other.
            let fresh = try #require(try await store.formationSource(tenantID: tenant.id, cycleID: cycle))
            #expect(fresh.lockedCollectives.map(\.id) == [first.collectives[0].id])
            let people = fresh.participants.map(\.id).filter { $0 != moved }
            let second = FormationPlan(
                collectives: [
                    .init(id: first.collectives[0].id, themeID: themes[0], name: "kept", members: [moved] + Array(people[0..<3])),
                    .init(id: TimeOrderedID.make(), themeID: themes[1], name: "Literacy 1", members: Array(people[3..<7])),
                ],
                lockedCollectives: fresh.lockedCollectives)
            try await store.replaceFormation(tenantID: tenant.id, cycleID: cycle, jobID: UUID(), plan: second)
            let after = try #require(try await store.list(tenantID: tenant.id, cycleID: cycle, phase: nil, themeID: nil, before: nil, limit: 10))
            #expect(Set(after.map(\.id)) == Set(second.collectives.map(\.id)))
            #expect(after.first { $0.id == first.collectives[0].id }?.members.first { $0.participantID == moved }?.locked == true)
            #expect(after.flatMap(\.members).count == 8)
        }
    }

    @Test func collectivesWithInquiryWorkAreNotReplaced() async throws {
        try await TestDatabase.withApp { database in
            let tenant = try await TestDatabase.makeTenant(database)
            let (cycle, themes) = try await cycle(database, tenant: tenant.id)
            let store = CollectiveStore(database: database)
            let source = try #require(try await store.formationSource(tenantID: tenant.id, cycleID: cycle))
            let first = plan(source, themes: themes)
            try await store.replaceFormation(tenantID: tenant.id, cycleID: cycle, jobID: UUID(), plan: first)
            try await database.withTenantTransaction(tenant.id) { transaction in
                try await transaction.query(
                    """
                    INSERT INTO placemats (tenant_id, collective_id, problem_of_practice)
                    VALUES (\(tenant.id), \(first.collectives[0].id), 'Chronic absenteeism')
                    """)
            }
            await #expect(throws: CollectiveStore.FormationRefusal.collectivesInUse(count: 1)) {
                try await store.replaceFormation(tenantID: tenant.id, cycleID: cycle, jobID: UUID(), plan: plan(source, themes: themes))
            }
        }
    }

    /// Theme detection ran again between reading the cycle and storing the plan: the
    /// plan's themes are gone, and it is refused as stale rather than failing on them.
    @Test func aPlanWhoseThemesWereReplacedIsRefused() async throws {
        try await TestDatabase.withApp { database in
            let tenant = try await TestDatabase.makeTenant(database)
            let (cycle, themes) = try await cycle(database, tenant: tenant.id)
            let store = CollectiveStore(database: database)
            let source = try #require(try await store.formationSource(tenantID: tenant.id, cycleID: cycle))
            try await ThemeStore(database: database).replaceProposal(
                tenantID: tenant.id, cycleID: cycle, jobID: UUID(), proposal: ThemeProposal(themes: [], assignments: []))
            await #expect(throws: CollectiveStore.FormationRefusal.themesChanged) {
                try await store.replaceFormation(tenantID: tenant.id, cycleID: cycle, jobID: UUID(), plan: plan(source, themes: themes))
            }
            #expect(try await store.list(tenantID: tenant.id, cycleID: cycle, phase: nil, themeID: nil, before: nil, limit: 10) == [])
        }
    }

    @Test func anotherTenantCanNeitherReadNorReplaceAFormation() async throws {
        try await TestDatabase.withApp { database in
            let owner = try await TestDatabase.makeTenant(database)
            let other = try await TestDatabase.makeTenant(database)
            let (cycle, themes) = try await cycle(database, tenant: owner.id)
            let store = CollectiveStore(database: database)
            #expect(try await store.formationSource(tenantID: other.id, cycleID: cycle) == nil)
            let source = try #require(try await store.formationSource(tenantID: owner.id, cycleID: cycle))
            await #expect(throws: CollectiveStore.FormationRefusal.cycleNotFound) {
                try await store.replaceFormation(tenantID: other.id, cycleID: cycle, jobID: UUID(), plan: plan(source, themes: themes))
            }
            #expect(try await store.list(tenantID: owner.id, cycleID: cycle, phase: nil, themeID: nil, before: nil, limit: 10) == [])
        }
    }
}
