import Foundation
import ILCCore
import ILCStore
import ILCTestSupport
import Testing

@testable import ILCQueue

@Suite struct FairnessTests {
    @Test func smallTenantsAreNotStarvedByABigBacklog() async throws {
        let harness = try await QueueHarness.make()
        let big = try await harness.makeTenant()
        let small = try await harness.makeTenant()
        let smaller = try await harness.makeTenant()
        let log = RunLog()
        let backlog = try await harness.enqueue(1_000, tenant: big)
        let few = try await harness.enqueue(3, tenant: small) + (try await harness.enqueue(3, tenant: smaller))
        try await harness.running(harness.worker([RecordingHandler(log: log)], concurrency: 1)) {
            try await harness.waitUntil(few, are: .succeeded)
        }
        let firstTen = await log.startedJobs.prefix(10)
        #expect(Set(few.map(\.id)).isSubset(of: Set(firstTen)), "first ten dispatches: \(firstTen.count)")
        _ = backlog
    }

    @Test func weightsShareDispatchesInProportion() async throws {
        let harness = try await QueueHarness.make()
        let heavy = try await harness.makeTenant()
        let light = try await harness.makeTenant()
        try await harness.schedule(heavy, weight: 3, cap: nil)
        _ = try await harness.enqueue(40, tenant: heavy)
        _ = try await harness.enqueue(40, tenant: light)

        let dispatched = try await harness.tenantsOfFetches(20)
        let heavyShare = dispatched.filter { $0 == heavy }.count
        #expect((14...16).contains(heavyShare), "weight 3 against 1 got \(heavyShare) of 20")
    }

    @Test func aCappedTenantWaitsWhileOthersHaveWorkAndUsesIdleCapacityOtherwise() async throws {
        let harness = try await QueueHarness.make()
        let capped = try await harness.makeTenant()
        let other = try await harness.makeTenant()
        try await harness.schedule(capped, weight: 1, cap: 1)
        _ = try await harness.enqueue(5, tenant: capped)
        _ = try await harness.enqueue(3, tenant: other)

        let dispatched = try await harness.tenantsOfFetches(8)
        // One capped job, then the other tenant's three, then (nobody else waiting)
        // the capped tenant may go past its cap rather than leave the slot idle.
        #expect(dispatched.prefix(4).filter { $0 == capped }.count == 1)
        #expect(dispatched.prefix(4).filter { $0 == other }.count == 3)
        #expect(dispatched.suffix(4).allSatisfy { $0 == capped })
        #expect(dispatched.count == 8)
    }

    @Test func aTenantBackOnTheDefaultSettingsLosesItsCapAndWeight() async throws {
        let harness = try await QueueHarness.make()
        let formerlyCapped = try await harness.makeTenant()
        let other = try await harness.makeTenant()
        try await harness.schedule(formerlyCapped, weight: 3, cap: 1)
        // Maintenance sends only tenants off the default, so going back must clear both.
        try await harness.schedule(formerlyCapped, weight: 1, cap: nil)
        _ = try await harness.enqueue(10, tenant: formerlyCapped)
        _ = try await harness.enqueue(10, tenant: other)

        // Nothing is acknowledged: a cap left behind would hold the tenant at one job.
        let dispatched = try await harness.tenantsOfFetches(8)
        #expect(dispatched.filter { $0 == formerlyCapped }.count == 4, "equal weights, no cap: \(dispatched)")
        #expect(dispatched.filter { $0 == other }.count == 4)
    }

    @Test func aDeletedTenantsPlaceInTheScheduleIsForgotten() async throws {
        let harness = try await QueueHarness.make()
        let deleted = try await TestDatabase.makeTenant(harness.database)
        let staying = try await harness.makeTenant()
        _ = try await harness.enqueue(1, tenant: deleted.id)
        _ = try await harness.enqueue(1, tenant: staying)
        // Served until they have nothing left: both go idle and Redis keeps their pass.
        _ = try await harness.tenantsOfFetches(2)
        #expect(try await harness.queue.index.scheduledTenants() == [deleted.id, staying])

        _ = try await TenantStore(database: harness.database).delete(id: deleted.id, slug: deleted.slug.rawValue)
        try await harness.queue.maintain()  // this queue's first pass: a full sweep
        #expect(try await harness.queue.index.scheduledTenants() == [staying])
    }
}

extension QueueHarness {
    /// Gives `tenant` these scheduling settings, as an operator would, and lets a
    /// maintenance pass take them to Redis.
    fileprivate func schedule(_ tenant: UUID, weight: Int32, cap: Int32?) async throws {
        try await database.withOperatorTransaction { transaction in
            try await transaction.execute(
                "UPDATE tenants SET queue_weight = \(weight), max_in_flight = \(cap) WHERE id = \(tenant)")
        }
        try await queue.maintain()
    }

    /// The tenants of `count` fetches of one job each. Nothing is acknowledged, so the
    /// leases stay in flight.
    fileprivate func tenantsOfFetches(_ count: Int) async throws -> [UUID] {
        var tenants: [UUID] = []
        for _ in 0..<count {
            let (jobs, _) = try await queue.index.fetch(limit: 1, lease: .seconds(30))
            tenants += jobs.map(\.tenantID)
        }
        return tenants
    }
}
