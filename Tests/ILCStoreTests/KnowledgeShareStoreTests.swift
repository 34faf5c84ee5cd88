import Foundation
import ILCCore
import ILCTestSupport
import Testing

@testable import ILCStore

@Suite struct KnowledgeShareStoreTests {
    @Test func rerunsReplaceOnlySuggestionsNobodyActedOn() async throws {
        try await TestDatabase.withApp { database in
            let tenant = try await TestDatabase.makeTenant(database).id
            let other = try await TestDatabase.makeTenant(database).id
            let cycle = try await CycleStore(database: database).create(
                tenantID: tenant, name: "sharing", startsOn: nil, endsOn: nil, settings: CycleSettings())
            let collectives = CollectiveStore(database: database)
            let target = try await collectives.create(tenantID: tenant, cycleID: cycle.id, name: "A", facilitator: nil, themeID: nil).id
            let first = try await collectives.create(tenantID: tenant, cycleID: cycle.id, name: "B", facilitator: nil, themeID: nil).id
            let second = UUID()
            let store = KnowledgeShareStore(database: database)
            func share(_ source: UUID, tenant sourceTenant: UUID? = nil) -> KnowledgeShareStore.PlannedShare {
                .init(targetCollectiveID: target, sourceTenantID: sourceTenant, sourceCollectiveID: source, sourceLabel: "B", score: 0.5,
                      reasons: #"{"shared_theme":"attendance"}"#)
            }
            func rows() async throws -> [(UUID, String)] {
                try await database.withTenantTransaction(tenant) { transaction in
                    try await transaction.query("SELECT source_collective_id, status FROM knowledge_shares ORDER BY status")
                        .map { try $0.decode((UUID, String).self) }
                }
            }
            try await store.replaceSuggestions(tenantID: tenant, cycleID: cycle.id, jobID: UUID(), shares: [share(first)])
            #expect(try await rows().map(\.1) == ["suggested"])
            try await database.withTenantTransaction(tenant) { transaction in
                try await transaction.query("UPDATE knowledge_shares SET status = 'dismissed'")
            }
            try await store.replaceSuggestions(
                tenantID: tenant, cycleID: cycle.id, jobID: UUID(), shares: [share(first), share(second, tenant: other)])
            let after = try await rows()
            #expect(after.count == 2)
            #expect(after.contains { $0 == (first, "dismissed") } && after.contains { $0 == (second, "suggested") })
            try await store.replaceSuggestions(tenantID: tenant, cycleID: cycle.id, jobID: UUID(), shares: [])
            #expect(try await rows().map(\.1) == ["dismissed"])

            // Another tenant can neither read the cycle nor write suggestions into it.
            #expect(try await store.source(tenantID: other, cycleID: cycle.id) == nil)
            try await store.replaceSuggestions(tenantID: other, cycleID: cycle.id, jobID: UUID(), shares: [share(second)])
            #expect(try await rows().count == 1)
            let source = try #require(try await store.source(tenantID: tenant, cycleID: cycle.id))
            #expect(source.collectives.map(\.id).sorted() == [target, first].sorted())
            #expect(source.policy == .withinTenant)
            // The dismissal counts against its source and keeps the pair from coming back.
            let marks = try await store.marks(tenantID: tenant)
            #expect(marks[first] == SharingSource.Marks(accepted: 0, dismissed: 1))
            #expect(marks[second] == nil)
            #expect(source.markedPairs.map { [$0.target, $0.source] } == [[target, first]])
        }
    }

    /// Two runs for one cycle at once (a partner's start and a network run's match, or
    /// a rerun after a lost lease) leave one run's suggestions, never both.
    @Test func runsForOneCycleAtOnceLeaveOneRunsSuggestions() async throws {
        try await TestDatabase.withApp { database in
            let tenant = try await TestDatabase.makeTenant(database).id
            let cycle = try await CycleStore(database: database).create(
                tenantID: tenant, name: "sharing", startsOn: nil, endsOn: nil, settings: CycleSettings())
            let collectives = CollectiveStore(database: database)
            var ids: [UUID] = []
            for name in ["A", "B", "C", "D"] {
                ids.append(try await collectives.create(tenantID: tenant, cycleID: cycle.id, name: name, facilitator: nil, themeID: nil).id)
            }
            let shares = ids.flatMap { target in
                ids.filter { $0 != target }.map { source in
                    KnowledgeShareStore.PlannedShare(
                        targetCollectiveID: target, sourceTenantID: nil, sourceCollectiveID: source, sourceLabel: nil, score: 0.5,
                        reasons: "{}")
                }
            }
            let store = KnowledgeShareStore(database: database)
            for _ in 0..<10 {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<4 {
                        group.addTask {
                            try await store.replaceSuggestions(tenantID: tenant, cycleID: cycle.id, jobID: UUID(), shares: shares)
                        }
                    }
                    try await group.waitForAll()
                }
                let (stored, runs) = try await database.withTenantTransaction(tenant) { transaction in
                    try await transaction.query("SELECT count(*), count(DISTINCT job_id) FROM knowledge_shares")[0].decode((Int, Int).self)
                }
                #expect(stored == shares.count && runs == 1)
            }
        }
    }

    /// A cycle shares no further than its tenant, nor its tenant further than the cycle;
    /// the stricter suppression threshold of the two applies.
    @Test(arguments: [
        (SharingPolicy.network, SharingPolicy.network, SharingPolicy.network),
        (.network, .withinTenant, .withinTenant), (.withinTenant, .network, .withinTenant), (.none, .network, .none),
        (.network, .none, .none),
    ])
    func theStricterOfTenantAndCyclePolicyApplies(tenantPolicy: SharingPolicy, cyclePolicy: SharingPolicy, expected: SharingPolicy)
        async throws
    {
        try await TestDatabase.withApp { database in
            let tenant = try await TestDatabase.makeTenant(database).id
            try await database.withOperatorTransaction { transaction in
                try await transaction.query(
                    "UPDATE tenants SET sharing = \(tenantPolicy.rawValue), suppression_threshold = 12 WHERE id = \(tenant)")
            }
            let cycle = try await CycleStore(database: database).create(
                tenantID: tenant, name: "sharing", startsOn: nil, endsOn: nil,
                settings: CycleSettings(sharingPolicy: cyclePolicy, suppressionThreshold: cyclePolicy == .network ? 20 : 5))
            let source = try #require(try await KnowledgeShareStore(database: database).source(tenantID: tenant, cycleID: cycle.id))
            #expect(source.policy == expected)
            #expect(source.suppressionThreshold == (cyclePolicy == .network ? 20 : 12))
        }
    }
}
