import ILCTestSupport
import Foundation
import ILCCore
import Testing

@testable import ILCStore

@Suite struct TenantStoreTests {
    @Test func createdTenantsAreListedAndFoundBySlug() async throws {
        try await TestDatabase.withApp { database in
            let store = TenantStore(database: database)
            let created = try await TestDatabase.makeTenant(database, kind: .province)
            #expect(created.kind == .province)
            #expect(created.sharing == .withinTenant)
            #expect(try await store.find(slug: created.slug) == created)
            #expect(try await store.list().contains(created))
        }
    }

    @Test func aDuplicateSlugIsAConflict() async throws {
        try await TestDatabase.withApp { database in
            let store = TenantStore(database: database)
            let created = try await TestDatabase.makeTenant(database)
            await #expect(throws: StoreError.conflict("a tenant with slug '\(created.slug)' already exists")) {
                _ = try await store.create(slug: created.slug, name: "Again", kind: .region)
            }
        }
    }

    @Test func anUnknownSlugIsNotFound() async throws {
        try await TestDatabase.withApp { database in
            await #expect(throws: StoreError.notFound("no tenant with slug 'no-such-agency'")) {
                _ = try await TenantStore(database: database).find(slug: try TenantSlug("no-such-agency"))
            }
        }
    }

    @Test func theDatabaseAcceptsEveryValueOfTheSwiftVocabularies() async throws {
        try await TestDatabase.withApp { database in
            let tenant = try await TestDatabase.makeTenant(database)
            try await database.withTenantTransaction(tenant.id) { transaction in
                for role in ParticipantRole.allCases {
                    try await transaction.execute(
                        """
                        INSERT INTO participants (tenant_id, external_id, name, role, district)
                        VALUES (\(tenant.id), \(role.rawValue), 'Someone', \(role.rawValue), 'District')
                        """)
                }
                for phase in CyclePhase.allCases {
                    try await transaction.execute(
                        "INSERT INTO cycles (tenant_id, name, phase) VALUES (\(tenant.id), \(phase.rawValue), \(phase.rawValue))")
                }
                for state in JobState.allCases {
                    let finished: Date? = state.isTerminal ? Date() : nil
                    try await transaction.execute(
                        """
                        INSERT INTO jobs (tenant_id, id, type, state, finished_at)
                        VALUES (\(tenant.id), \(UUID()), 'theme-detection', \(state.rawValue), \(finished))
                        """)
                }
            }
            await #expect(throws: (any Error).self) {
                try await database.withTenantTransaction(tenant.id) { transaction in
                    try await transaction.execute(
                        """
                        INSERT INTO participants (tenant_id, external_id, name, role, district)
                        VALUES (\(tenant.id), 'x', 'Someone', 'janitor', 'District')
                        """)
                }
            }
        }
    }
}
