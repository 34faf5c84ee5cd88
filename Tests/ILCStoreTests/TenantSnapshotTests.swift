import Foundation
import ILCCore
import ILCTestSupport
import Testing

@testable import ILCStore

@Suite struct TenantSnapshotTests {
    private func cycleCount(_ transaction: Transaction) async throws -> Int {
        try await transaction.query("SELECT count(*)::int8 FROM cycles").first?.decode(Int.self) ?? -1
    }

    private func addCycle(_ database: Database, tenant: UUID) async throws {
        _ = try await CycleStore(database: database).create(
            tenantID: tenant, name: "cycle \(UUID())", startsOn: nil, endsOn: nil, settings: CycleSettings())
    }

    @Test func everyStatementSeesTheMomentOfTheFirstWhereATransactionSeesEachCommit() async throws {
        try await TestDatabase.withApp { database in
            let tenant = try await TestDatabase.makeTenant(database)
            let (before, after) = try await database.withTenantSnapshot(tenant.id) { transaction in
                let before = try await cycleCount(transaction)
                try await addCycle(database, tenant: tenant.id)
                return (before, try await cycleCount(transaction))
            }
            #expect(before == 0 && after == 0)
            // The contrast that makes the snapshot necessary: READ COMMITTED sees the commit.
            let (first, second) = try await database.withTenantTransaction(tenant.id) { transaction in
                let first = try await cycleCount(transaction)
                try await addCycle(database, tenant: tenant.id)
                return (first, try await cycleCount(transaction))
            }
            #expect(first == 1 && second == 2)
        }
    }

    @Test func aSnapshotCannotWriteAndSeesOnlyItsTenant() async throws {
        try await TestDatabase.withApp { database in
            let tenant = try await TestDatabase.makeTenant(database)
            let other = try await TestDatabase.makeTenant(database)
            try await addCycle(database, tenant: other.id)
            await #expect(throws: (any Error).self) {
                try await database.withTenantSnapshot(tenant.id) { transaction in
                    try await transaction.query("INSERT INTO cycles (tenant_id, id, name) VALUES (\(tenant.id), \(UUID()), 'x')")
                }
            }
            let counts = try await database.withTenantSnapshot(tenant.id) { transaction in
                try await cycleCount(transaction)
            }
            #expect(counts == 0)
        }
    }

    @Test func insideAJoinedTransactionItIsAPartThatSeesTheTransactionsOwnWrites() async throws {
        try await TestDatabase.withApp { database in
            let tenant = try await TestDatabase.makeTenant(database)
            let seen = try await database.withJoinedTenantTransaction(tenant.id) { _ in
                try await addCycle(database, tenant: tenant.id)
                return try await database.withTenantSnapshot(tenant.id) { transaction in
                    try await cycleCount(transaction)
                }
            }
            #expect(seen == 1)
        }
    }
}
