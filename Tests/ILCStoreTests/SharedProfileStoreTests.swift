import Foundation
import ILCCore
import ILCTestSupport
import Testing

@testable import ILCStore

/// The one cross-tenant read path of knowledge sharing, tested for leaks.
@Suite struct SharedProfileStoreTests {
    private func tenant(_ database: Database, sharing: SharingPolicy, publicName: String?) async throws -> UUID {
        let tenant = try await TestDatabase.makeTenant(database).id
        try await database.withOperatorTransaction { transaction in
            try await transaction.query(
                "UPDATE tenants SET sharing = \(sharing.rawValue), public_name = \(publicName) WHERE id = \(tenant)")
        }
        return tenant
    }

    /// A published profile of one new collective of the tenant.
    private func publish(_ database: Database, tenant: UUID, text: String) async throws -> UUID {
        let cycle = try await CycleStore(database: database).create(
            tenantID: tenant, name: "sharing", startsOn: nil, endsOn: nil, settings: CycleSettings())
        let collective = try await CollectiveStore(database: database).create(
            tenantID: tenant, cycleID: cycle.id, name: "Attendance 1", facilitator: nil, themeID: nil)
        try await SharedProfileStore(database: database).publish(tenantID: tenant, cycleID: cycle.id, profiles: [
            SharedProfile(
                tenantID: tenant, collectiveID: collective.id, cycleID: cycle.id, themeKey: "attendance", problemOfPractice: text,
                theoryOfAction: "If we call [person]'s families", indicators: #"[{"id":"i","name":"attendance rate"}]"#,
                evidenceCategories: ["perceptions"]),
        ])
        return collective.id
    }

    @Test func onlyTenantsThatBothChoseNetworkSeeEachOther() async throws {
        try await TestDatabase.withApp { database in
            let open = try await tenant(database, sharing: .network, publicName: "Open State")
            let quiet = try await tenant(database, sharing: .network, publicName: nil)
            let inward = try await tenant(database, sharing: .withinTenant, publicName: "Inward Province")
            let closed = try await tenant(database, sharing: .none, publicName: "Closed Region")
            let store = SharedProfileStore(database: database)
            let openCollective = try await publish(database, tenant: open, text: "absenteeism at [school]")
            let quietCollective = try await publish(database, tenant: quiet, text: "tardies")
            _ = try await publish(database, tenant: inward, text: "inward only")
            _ = try await publish(database, tenant: closed, text: "closed only")

            // Other tenants of the shared test database may publish too: look at these four.
            let mine: Set<UUID> = [open, quiet, inward, closed]
            func seen(by tenant: UUID) async throws -> [SharedProfile] {
                try await store.networkProfiles(tenantID: tenant).filter { mine.contains($0.tenantID) }
            }
            let fromOpen = try await seen(by: open)
            #expect(fromOpen.map(\.collectiveID) == [quietCollective])
            #expect(fromOpen.first?.sourceLabel == nil)  // no public name: unlabelled
            #expect(fromOpen.first?.cycleID == nil)
            let fromQuiet = try await seen(by: quiet)
            #expect(fromQuiet.map(\.collectiveID) == [openCollective])
            #expect(fromQuiet.first?.sourceLabel == "Open State")
            #expect(fromQuiet.first?.problemOfPractice == "absenteeism at [school]")
            #expect(try await seen(by: inward).isEmpty)
            #expect(try await seen(by: closed).isEmpty)

            // Leaving the network withdraws at once, both ways.
            try await database.withOperatorTransaction { transaction in
                try await transaction.query("UPDATE tenants SET sharing = 'within_tenant' WHERE id = \(open)")
            }
            #expect(try await seen(by: quiet).isEmpty)
            #expect(try await seen(by: open).isEmpty)
        }
    }

    @Test func theTableItselfStaysIsolatedAndOperatorsGetNothingThroughTheFunction() async throws {
        try await TestDatabase.withApp { database in
            let first = try await tenant(database, sharing: .network, publicName: "First")
            let second = try await tenant(database, sharing: .network, publicName: "Second")
            _ = try await publish(database, tenant: first, text: "first's problem")
            let direct = try await database.withTenantTransaction(second) { transaction in
                try await transaction.query("SELECT count(*) FROM shared_profiles WHERE tenant_id = \(first)")[0].decode(Int.self)
            }
            #expect(direct == 0)
            let viaOperator = try await database.withOperatorTransaction { transaction in
                try await transaction.query("SELECT count(*) FROM ilc_network_profiles()")[0].decode(Int.self)
            }
            #expect(viaOperator == 0)
            // Writing another tenant's profile is refused by the row policy.
            await #expect(throws: (any Error).self) {
                try await database.withTenantTransaction(second) { transaction in
                    try await transaction.query(
                        """
                        INSERT INTO shared_profiles (tenant_id, collective_id, cycle_id)
                        VALUES (\(first), \(UUID()), \(UUID()))
                        """)
                }
            }
            #expect(try await SharedProfileStore(database: database).published(tenantID: first, cycleID: UUID()).isEmpty)
        }
    }
}
