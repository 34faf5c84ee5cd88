import Foundation
import ILCCore
import ILCTestSupport
import Testing

@testable import ILCStore

/// The two-phase fan-in of a network run, in a database of its own: a run spans every
/// network tenant, so other tests' tenants must not be in it.
@Suite struct NetworkSharingRunStoreTests {
    private func jobs(_ database: Database, tenant: UUID) async throws -> [(id: UUID, payload: String)] {
        try await database.withTenantTransaction(tenant) { transaction in
            try await transaction.query("SELECT id, payload::text FROM jobs WHERE type = 'knowledge-sharing' ORDER BY id")
                .map { try $0.decode((UUID, String).self) }
                .map { (id: $0.0, payload: $0.1) }
        }
    }

    @Test func theLastPublicationAddsOneMatchingJobPerNetworkTenantOnce() async throws {
        try await TestDatabase.withMigratedScratchDatabase { configuration, _ in
            try await Database.withDatabase(configuration: configuration, logger: TestDatabase.logger) { database in
                var tenants: [UUID] = []
                for policy in [SharingPolicy.network, .network, .withinTenant] {
                    let tenant = try await TestDatabase.makeTenant(database).id
                    try await database.withOperatorTransaction { transaction in
                        try await transaction.query("UPDATE tenants SET sharing = \(policy.rawValue) WHERE id = \(tenant)")
                    }
                    tenants.append(tenant)
                }
                let (first, second, inward) = (tenants[0], tenants[1], tenants[2])
                let store = NetworkSharingRunStore(database: database)
                let (run, publishing) = try await store.start()
                #expect(run.tenants == 2 && run.published == 0 && run.matchingStartedAt == nil)
                #expect(Set(publishing.map(\.tenantID)) == [first, second])
                let firstJobs = try await jobs(database, tenant: first)
                #expect(firstJobs.map(\.id) == publishing.filter { $0.tenantID == first }.map(\.id))
                #expect(firstJobs.first?.payload.contains(#""phase": "publish""#) == true)
                #expect(try await jobs(database, tenant: inward).isEmpty)

                // Only a tenant of the run counts, each once; the last one adds the matching.
                #expect(try await store.published(tenantID: inward, runID: run.id).isEmpty)
                #expect(try await store.published(tenantID: first, runID: run.id).isEmpty)
                #expect(try await store.published(tenantID: first, runID: run.id).isEmpty)
                #expect(try await store.find(id: run.id)?.published == 1)
                let matching = try await store.published(tenantID: second, runID: run.id)
                #expect(Set(matching.map(\.tenantID)) == [first, second])
                #expect(try await store.published(tenantID: second, runID: run.id).isEmpty)
                let finished = try #require(try await store.find(id: run.id))
                #expect(finished.published == 2 && finished.matchingStartedAt != nil)
                let secondJobs = try await jobs(database, tenant: second)
                #expect(secondJobs.count == 2)
                #expect(secondJobs.filter { $0.payload.contains(#""phase": "match""#) }.map(\.id)
                    == matching.filter { $0.tenantID == second }.map(\.id))

                // Only operator scope starts a run; a tenant cannot read runs.
                await #expect(throws: (any Error).self) {
                    try await database.withTenantTransaction(first) { transaction in
                        try await transaction.query("SELECT * FROM ilc_start_network_sharing(\(UUID()))")
                    }
                }
                let visible = try await database.withTenantTransaction(first) { transaction in
                    try await transaction.query("SELECT count(*) FROM network_sharing_runs").first?.decode(Int.self)
                }
                #expect(visible == 0)
            }
        }
    }

    /// A run must not wait forever for a tenant deleted before it published.
    @Test func deletingTheLastTenantToPublishStartsMatchingForTheOthers() async throws {
        try await TestDatabase.withMigratedScratchDatabase { configuration, _ in
            try await Database.withDatabase(configuration: configuration, logger: TestDatabase.logger) { database in
                var tenants: [Tenant] = []
                for _ in 0..<3 {
                    let tenant = try await TestDatabase.makeTenant(database)
                    try await database.withOperatorTransaction { transaction in
                        try await transaction.query("UPDATE tenants SET sharing = 'network' WHERE id = \(tenant.id)")
                    }
                    tenants.append(tenant)
                }
                let store = NetworkSharingRunStore(database: database)
                let (run, _) = try await store.start()
                #expect(try await store.published(tenantID: tenants[0].id, runID: run.id).isEmpty)
                // One of two waiting tenants goes: the run still waits for the other.
                #expect(try await TenantStore(database: database).delete(id: tenants[1].id, slug: tenants[1].slug.rawValue) == [])
                #expect(try await store.find(id: run.id)?.matchingStartedAt == nil)
                let matching = try #require(
                    try await TenantStore(database: database).delete(id: tenants[2].id, slug: tenants[2].slug.rawValue))
                #expect(matching.map(\.tenantID) == [tenants[0].id])
                let advanced = try #require(try await store.find(id: run.id))
                #expect(advanced.tenants == 1 && advanced.published == 1 && advanced.matchingStartedAt != nil)
                #expect(try await jobs(database, tenant: tenants[0].id).filter { $0.payload.contains(#""phase": "match""#) }.map(\.id)
                    == matching.map(\.id))
            }
        }
    }

    @Test func aRunWithoutNetworkTenantsIsCompleteAtOnce() async throws {
        try await TestDatabase.withMigratedScratchDatabase { configuration, _ in
            try await Database.withDatabase(configuration: configuration, logger: TestDatabase.logger) { database in
                _ = try await TestDatabase.makeTenant(database)
                let (run, jobs) = try await NetworkSharingRunStore(database: database).start()
                #expect(jobs.isEmpty && run.tenants == 0 && run.matchingStartedAt != nil)
            }
        }
    }
}
