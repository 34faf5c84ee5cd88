import ILCTestSupport
import Foundation
import ILCCore
import Synchronization
import Testing

@testable import ILCStore

@Suite struct JoinedTransactionTests {
    private func cycleNames(_ database: Database, tenant: UUID) async throws -> [String] {
        try await database.withTenantTransaction(tenant) { transaction in
            try await transaction.query("SELECT name FROM cycles ORDER BY name").map { try $0.decode(String.self) }
        }
    }

    @Test func partsCommitTogetherAndAFailedPartUndoesOnlyItself() async throws {
        try await TestDatabase.withApp { database in
            let tenant = try await TestDatabase.makeTenant(database)
            let store = CycleStore(database: database)
            let ran = Mutex(false)
            try await database.withJoinedTenantTransaction(tenant.id) { _ in
                _ = try await store.create(tenantID: tenant.id, name: "a", startsOn: nil, endsOn: nil, settings: CycleSettings())
                await #expect(throws: (any Error).self) {
                    try await database.withTenantTransaction(tenant.id) { transaction in
                        try await transaction.query("INSERT INTO cycles (tenant_id, id, name) VALUES (\(tenant.id), \(UUID()), 'b')")
                        try await transaction.query("SELECT 1/0")
                    }
                }
                // The failed part left the transaction usable, and the first part is seen.
                #expect(try await cycleNames(database, tenant: tenant.id) == ["a"])
                await database.afterCommit { ran.withLock { $0 = true } }
                #expect(!ran.withLock { $0 })
            }
            #expect(ran.withLock { $0 })
            #expect(try await cycleNames(database, tenant: tenant.id) == ["a"])
        }
    }

    @Test func aRollbackTakesEveryPartAndSkipsDeferredWork() async throws {
        try await TestDatabase.withApp { database in
            let tenant = try await TestDatabase.makeTenant(database)
            let ran = Mutex(false)
            struct Abandon: Error {}
            await #expect(throws: Abandon.self) {
                try await database.withJoinedTenantTransaction(tenant.id) { _ in
                    _ = try await CycleStore(database: database).create(
                        tenantID: tenant.id, name: "gone", startsOn: nil, endsOn: nil, settings: CycleSettings())
                    await database.afterCommit { ran.withLock { $0 = true } }
                    throw Abandon()
                }
            }
            #expect(!ran.withLock { $0 })
            #expect(try await cycleNames(database, tenant: tenant.id).isEmpty)
        }
    }
}
