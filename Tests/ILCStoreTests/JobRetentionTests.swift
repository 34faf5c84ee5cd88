import Foundation
import ILCTestSupport
import Testing

@testable import ILCStore

@Suite struct JobRetentionTests {
    /// Jobs that finished longer ago than the retention go, whatever their tenant;
    /// jobs that finished since, and waiting or running ones of any age, stay.
    @Test func finishedJobsGoAfterTheRetentionAndNothingElse() async throws {
        try await TestDatabase.withApp { database in
            let first = try await TestDatabase.makeTenant(database).id
            let second = try await TestDatabase.makeTenant(database).id
            let now = Date()
            func daysAgo(_ days: Double) -> Date { now.addingTimeInterval(-days * 86_400) }
            struct Job {
                let tenant: UUID
                let state: String
                let created: Date
                let finished: Date?
                let expired: Bool
                let id = UUID()
            }
            let jobs = [
                Job(tenant: first, state: "succeeded", created: daysAgo(45), finished: daysAgo(44), expired: true),
                // Two weeks of creation time later, another tenant's: every slice is looked at.
                Job(tenant: second, state: "failed", created: daysAgo(31), finished: daysAgo(30.5), expired: true),
                Job(tenant: second, state: "canceled", created: daysAgo(32), finished: daysAgo(31.9), expired: true),
                Job(tenant: first, state: "succeeded", created: daysAgo(40), finished: daysAgo(29), expired: false),
                Job(tenant: first, state: "queued", created: daysAgo(60), finished: nil, expired: false),
                Job(tenant: second, state: "running", created: daysAgo(50), finished: nil, expired: false),
                Job(tenant: second, state: "succeeded", created: daysAgo(1), finished: daysAgo(1), expired: false),
            ]
            try await database.withQueueTransaction { transaction in
                for job in jobs {
                    try await transaction.execute(
                        """
                        INSERT INTO jobs (tenant_id, id, type, state, created_at, finished_at)
                        VALUES (\(job.tenant), \(job.id), 'record', \(job.state), \(job.created), \(job.finished))
                        """)
                }
            }
            _ = try await JobRetention(database: database, period: .seconds(30 * 86_400)).purgeExpired(now: now)
            // Other tests' API processes purge this database by the same rule: what
            // counts is which of these jobs are left.
            let left = try await database.withQueueTransaction { transaction in
                Set(
                    try await transaction.query("SELECT id FROM jobs WHERE id = ANY(\(jobs.map(\.id))::uuid[])").map {
                        try $0.decode(UUID.self)
                    })
            }
            #expect(left == Set(jobs.filter { !$0.expired }.map(\.id)))
        }
    }
}
