import Foundation
import ILCCore
import ILCReports
import ILCTestSupport
import Testing

@testable import ILCStore

@Suite struct ReportStoreTests {
    @Test func reportsAreStoredWithChecksumReadOnlyByTheirTenantAndPurgedWhenExpired() async throws {
        try await TestDatabase.withApp { database in
            let tenant = try await TestDatabase.makeTenant(database).id
            let other = try await TestDatabase.makeTenant(database).id
            _ = try await TenantStore(database: database).update(id: tenant, {
                var changes = TenantChanges()
                changes.reportRetentionDays = 7
                return changes
            }())
            let store = ReportStore(database: database)
            let content = Data("<p>hello</p>".utf8)
            let report = try await store.save(tenantID: tenant, ReportDraft(
                kind: .tenantOverview, format: .html, title: "Overview", cycleID: nil, collectiveID: nil, content: content, jobID: nil))
            #expect(report.sizeBytes == content.count)
            // PostgreSQL's own SHA-256 of the stored bytes agrees.
            let checked = try await database.withTenantTransaction(tenant) { transaction in
                try await transaction.query("SELECT encode(sha256(content), 'hex') FROM reports WHERE id = \(report.id)").first?.decode(String.self)
            }
            #expect(checked == report.sha256)
            #expect(report.contentType == "text/html; charset=utf-8")
            let days = try #require(report.expiresAt).timeIntervalSince(report.createdAt) / 86_400
            #expect(abs(days - 7) < 0.01)
            #expect(try await store.content(tenantID: tenant, id: report.id)?.content == content)
            #expect(try await store.list(tenantID: tenant, cycleID: nil, jobID: nil, before: nil, limit: 10).map(\.id) == [report.id])
            #expect(try await store.find(tenantID: other, id: report.id) == nil)
            #expect(try await store.content(tenantID: other, id: report.id) == nil)

            // Once expired it is gone from every read, and the purge deletes it.
            try await database.withTenantTransaction(tenant) { transaction in
                try await transaction.query("UPDATE reports SET expires_at = now() - interval '1 second' WHERE id = \(report.id)")
            }
            #expect(try await store.find(tenantID: tenant, id: report.id) == nil)
            // Another test's ilc-api may purge it first (every API process purges the
            // shared database, with this same code): what counts is that it is gone.
            _ = try await store.purgeExpired()
            let left = try await database.withTenantTransaction(tenant) { transaction in
                try await transaction.query("SELECT count(*) FROM reports").first?.decode(Int.self)
            }
            #expect(left == 0)
        }
    }

    /// A job that runs again (its worker died after storing the report) replaces its
    /// report: one per job, with the first one's id and the last run's content.
    @Test func aJobRunAgainReplacesItsReport() async throws {
        try await TestDatabase.withApp { database in
            let tenant = try await TestDatabase.makeTenant(database).id
            let store = ReportStore(database: database)
            let job = UUID()
            func draft(_ text: String) -> ReportDraft {
                ReportDraft(
                    kind: .tenantOverview, format: .json, title: "Overview", cycleID: nil, collectiveID: nil,
                    content: Data(text.utf8), jobID: job)
            }
            let first = try await store.save(tenantID: tenant, draft(#"{"run":1}"#))
            let second = try await store.save(tenantID: tenant, draft(#"{"run":2}"#))
            #expect(second.id == first.id)
            #expect(try await store.list(tenantID: tenant, cycleID: nil, jobID: job, before: nil, limit: 10).map(\.id) == [first.id])
            #expect(try await store.content(tenantID: tenant, id: first.id)?.content == Data(#"{"run":2}"#.utf8))
            // Reports without a job never collide.
            var unowned = draft("{}")
            unowned.jobID = nil
            let a = try await store.save(tenantID: tenant, unowned)
            let b = try await store.save(tenantID: tenant, unowned)
            #expect(a.id != b.id)
        }
    }

    @Test func sourcesHoldWhatEachKindShows() async throws {
        try await TestDatabase.withApp { database in
            let tenant = try await TestDatabase.makeTenant(database).id
            let fixture = try await ReportFixture.make(database, tenantID: tenant)
            let sources = ReportSourceStore(database: database)
            let collective = try #require(try await sources.collectiveProgress(tenantID: tenant, collectiveID: fixture.collectiveID))
            #expect(collective.cycleID == fixture.cycleID && collective.threshold == 10)
            #expect(collective.report.indicators.first?.observations.map(\.sampleSize) == [120, 4, 118])
            #expect(collective.report.evidence.count == 3)
            let cycle = try #require(try await sources.cycleSummary(tenantID: tenant, cycleID: fixture.cycleID))
            #expect(cycle.report.participation.reduce(0) { $0 + $1.participants } == 24)
            #expect(cycle.report.indicators.first?.progress == (90.0 - 80) / (95 - 80))
            let overview = try await sources.tenantOverview(tenantID: tenant)
            #expect(overview.report.cycles.map(\.participants) == [24])
            #expect(overview.report.cycles.map(\.indicatorsMoving) == [1])

            // Another tenant finds nothing of it.
            let other = try await TestDatabase.makeTenant(database).id
            #expect(try await sources.collectiveProgress(tenantID: other, collectiveID: fixture.collectiveID) == nil)
            #expect(try await sources.cycleSummary(tenantID: other, cycleID: fixture.cycleID) == nil)
            #expect(try await sources.tenantOverview(tenantID: other).report.cycles.isEmpty)
        }
    }

    @Test func theNetworkSummaryCountsInOperatorScopeOnly() async throws {
        try await TestDatabase.withApp { database in
            let tenant = try await TestDatabase.makeTenant(database)
            _ = try await ReportFixture.make(database, tenantID: tenant.id)
            let summary = try await ReportSourceStore(database: database).networkSummary()
            let mine = try #require(summary.tenants.first { $0.name == tenant.name })
            #expect(mine.cycles == 1 && mine.collectives == 1 && mine.participants == 24 && mine.indicators == 1 && mine.indicatorsMoving == 1)
            await #expect(throws: (any Error).self) {
                try await database.withTenantTransaction(tenant.id) { transaction in
                    try await transaction.query("SELECT * FROM ilc_network_summary()")
                }
            }
        }
    }
}
