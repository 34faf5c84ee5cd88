import Foundation
import ILCCore
import ILCStore
import PostgresNIO
import Testing

@testable import ILCQueue

@Suite struct JobLifecycleTests {
    @Test func jobsRunAndEndSucceededWithTheirResult() async throws {
        let harness = try await QueueHarness.make()
        let tenant = try await harness.makeTenant()
        let log = RunLog()
        let jobs = try await harness.enqueue(20, tenant: tenant)
        try await harness.running(harness.worker([RecordingHandler(log: log)])) {
            try await harness.waitUntil(jobs, are: .succeeded)
        }
        let record = try await harness.record(jobs[3])
        #expect(record.state == .succeeded)
        #expect(record.attempts == 1)
        #expect(record.result?.contains(#""index": 3"#) == true || record.result?.contains(#""index":3"#) == true)
        #expect(record.startedAt != nil && record.finishedAt != nil)
        #expect(record.progress.percent == 100)
        #expect(await log.runs.values.allSatisfy { $0 == 1 })
        #expect(await log.runs.count == 20)
    }

    @Test func aPoisonJobEndsFailedAfterMaxAttemptsWithItsError() async throws {
        let harness = try await QueueHarness.make()
        let tenant = try await harness.makeTenant()
        let log = RunLog()
        let jobs = try await harness.enqueue(1, tenant: tenant, type: "poison") { _, request in request.maxAttempts = 3 }
        try await harness.running(harness.worker([FailingHandler(retryable: true, log: log)])) {
            try await harness.waitUntil(jobs, are: .failed)
        }
        let record = try await harness.record(jobs[0])
        #expect(record.attempts == 3)
        #expect(await log.runs[jobs[0].id] == 3)
        let error = try #require(record.error)
        #expect(error.contains("Poison"))
        #expect(error.contains("attempt 3 failed on purpose"))
        #expect(record.leaseExpirations == 0)
    }

    /// A handler failing because PostgreSQL is out of reach is not charged an attempt:
    /// a job with two attempts outlives three such failures and then succeeds.
    @Test func anUnreachableDatabaseChargesNoAttempt() async throws {
        let harness = try await QueueHarness.make()
        let tenant = try await harness.makeTenant()
        let log = RunLog()
        let jobs = try await harness.enqueue(1, tenant: tenant) { _, request in request.maxAttempts = 2 }
        try await harness.running(harness.worker([DatabaseDownHandler(log: log, outages: 3)])) {
            try await harness.waitUntil(jobs, are: .succeeded)
        }
        #expect(await log.runs[jobs[0].id] == 4)
        let record = try await harness.record(jobs[0])
        #expect(record.attempts == 1)
        #expect(record.error == nil)
    }

    /// A job whose own work takes the database down must not loop forever: past the
    /// put-back limit such runs count as attempts and it ends failed.
    @Test func aJobThatKeepsLosingTheDatabaseEndsAfterItsPutBacks() async throws {
        let harness = try await QueueHarness.make { $0.outagePutBackLimit = 3 }
        let tenant = try await harness.makeTenant()
        let log = RunLog()
        let jobs = try await harness.enqueue(1, tenant: tenant) { _, request in request.maxAttempts = 2 }
        try await harness.running(harness.worker([DatabaseDownHandler(log: log, outages: .max)])) {
            try await harness.waitUntil(jobs, are: .failed)
        }
        #expect(await log.runs[jobs[0].id] == 5)
        let record = try await harness.record(jobs[0])
        #expect(record.attempts == 2)
        #expect(record.error != nil)
        let putBacks = try await harness.database.withTenantTransaction(tenant) { transaction in
            try await transaction.query("SELECT outage_put_backs FROM jobs WHERE id = \(jobs[0].id)").first?.decode(Int.self)
        }
        #expect(putBacks == 3)
    }

    @Test func aFailureRetryingCannotFixFailsAtOnce() async throws {
        let harness = try await QueueHarness.make()
        let tenant = try await harness.makeTenant()
        let log = RunLog()
        let jobs = try await harness.enqueue(1, tenant: tenant, type: "poison")
        try await harness.running(harness.worker([FailingHandler(retryable: false, log: log)])) {
            try await harness.waitUntil(jobs, are: .failed)
        }
        #expect(try await harness.record(jobs[0]).attempts == 1)
    }

    @Test func aResultThatIsNotJSONFailsTheJobAlone() async throws {
        let harness = try await QueueHarness.make()
        let tenant = try await harness.makeTenant()
        let bad = try await harness.enqueue(1, tenant: tenant, type: "malformed")
        let good = try await harness.enqueue(3, tenant: tenant)
        try await harness.running(harness.worker([MalformedResultHandler(), RecordingHandler(log: RunLog())])) {
            try await harness.waitUntil(bad, are: .failed)
            try await harness.waitUntil(good, are: .succeeded)
        }
        #expect(try await harness.record(bad[0]).error?.contains("not JSON") == true)
    }

    @Test func finishedJobsLeaveNothingRunningBehind() async throws {
        let harness = try await QueueHarness.make()
        let tenant = try await harness.makeTenant()
        let jobs = try await harness.enqueue(200, tenant: tenant)
        let worker = harness.worker([RecordingHandler(log: RunLog())], concurrency: 32)
        try await harness.running(worker) {
            try await harness.waitUntil(jobs, are: .succeeded)
            // Outcomes are written before the run is forgotten; give the last ones a moment.
            for _ in 0..<100 where await worker.running.count > 0 {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(await worker.running.count == 0)
        }
    }

    @Test func aJobOfUnknownTypeFailsWithAClearError() async throws {
        let harness = try await QueueHarness.make()
        let tenant = try await harness.makeTenant()
        let jobs = try await harness.enqueue(1, tenant: tenant, type: "no-such-type")
        try await harness.running(harness.worker([RecordingHandler(log: RunLog())])) {
            try await harness.waitUntil(jobs, are: .failed)
        }
        #expect(try await harness.record(jobs[0]).error?.contains("no-such-type") == true)
    }

    @Test func aQueuedJobCancelsAtOnceAndNeverRuns() async throws {
        let harness = try await QueueHarness.make()
        let tenant = try await harness.makeTenant()
        let log = RunLog()
        let jobs = try await harness.enqueue(1, tenant: tenant)
        #expect(try await harness.queue.cancel(tenantID: tenant, id: jobs[0].id) == .canceled)
        let other = try await harness.enqueue(1, tenant: tenant)
        try await harness.running(harness.worker([RecordingHandler(log: log)])) {
            try await harness.waitUntil(other, are: .succeeded)
        }
        #expect(try await harness.record(jobs[0]).state == .canceled)
        #expect(await log.runs[jobs[0].id] == nil)
    }

    @Test func aRunningJobSeesCancellationAndEndsCanceled() async throws {
        let harness = try await QueueHarness.make()
        let tenant = try await harness.makeTenant()
        let log = RunLog()
        let jobs = try await harness.enqueue(1, tenant: tenant, type: "endless")
        try await harness.running(harness.worker([EndlessHandler(log: log)])) {
            try await harness.waitUntil(jobs, are: .running)
            // Progress reaches PostgreSQL while it runs (at most once a second).
            try await Task.sleep(for: .milliseconds(1_300))
            let running = try await harness.record(jobs[0])
            #expect((running.progress.processed ?? 0) > 0)
            #expect(running.progress.message?.hasPrefix("step") == true)

            #expect(try await harness.queue.cancel(tenantID: tenant, id: jobs[0].id) == .canceling)
            try await harness.waitUntil(jobs, are: .canceled)
        }
        #expect(try await harness.record(jobs[0]).finishedAt != nil)
    }

    @Test func delayedJobsDoNotStartEarly() async throws {
        let harness = try await QueueHarness.make()
        let tenant = try await harness.makeTenant()
        let runAt = Date().addingTimeInterval(1.5)
        let jobs = try await harness.enqueue(3, tenant: tenant) { _, request in request.runAt = runAt }
        try await harness.running(harness.worker([RecordingHandler(log: RunLog())])) {
            try await harness.waitUntil(jobs, are: .succeeded)
        }
        for job in jobs {
            let started = try #require(try await harness.record(job).startedAt)
            #expect(started >= runAt.addingTimeInterval(-0.01), "started \(runAt.timeIntervalSince(started)) s early")
        }
    }

    @Test func priorityOrdersJobsWithinATenant() async throws {
        let harness = try await QueueHarness.make()
        let tenant = try await harness.makeTenant()
        let log = RunLog()
        let low = try await harness.enqueue(5, tenant: tenant)
        let high = try await harness.enqueue(2, tenant: tenant) { _, request in request.priority = 10 }
        let middle = try await harness.enqueue(1, tenant: tenant) { _, request in request.priority = 5 }
        try await harness.running(harness.worker([RecordingHandler(log: log)], concurrency: 1)) {
            try await harness.waitUntil(low + high + middle, are: .succeeded)
        }
        #expect(await log.startedJobs == (high + middle + low).map(\.id))
    }

    @Test func anIdempotencyKeyMakesOneJob() async throws {
        let harness = try await QueueHarness.make()
        let tenant = try await harness.makeTenant()
        let request = JobRequest(type: "record", idempotencyKey: "intake-2026-11-29")
        let first = try await harness.queue.enqueue(request, tenantID: tenant)
        let second = try await harness.queue.enqueue(request, tenantID: tenant)
        #expect(first.created)
        #expect(!second.created)
        #expect(first.id == second.id)
        // Another tenant may use the same key for its own job.
        let other = try await harness.queue.enqueue(request, tenantID: try await harness.makeTenant())
        #expect(other.created && other.id != first.id)
    }

    /// The table only checks lengths (a regular expression per update was too dear);
    /// the enqueue function, the one way jobs are made, checks the spelling.
    @Test func theDatabaseRefusesMisspelledTypesAndQueuesThatSkippedValidation() async throws {
        let harness = try await QueueHarness.make()
        let tenant = try await harness.makeTenant()
        var misspelled = JobRequest(type: "record")
        misspelled.type = "Record Type"
        let statements = [
            EnqueueJobsStatement([JobRequest(type: "record"), misspelled], queue: harness.queue.configuration.name, tenantID: tenant),
            EnqueueJobsStatement([JobRequest(type: "record")], queue: "Bad Queue", tenantID: tenant),
        ]
        for statement in statements {
            do {
                _ = try await harness.database.standaloneStatement(statement)
                Issue.record("the database accepted \(statement.queue)/\(statement.requests.map(\.type))")
            } catch let error as PSQLError {
                #expect(error.serverInfo?[.sqlState] == "23514")
            }
        }
        let stored = try await harness.database.withTenantTransaction(tenant) { transaction in
            try await transaction.query("SELECT count(*) FROM jobs")[0].decode(Int.self)
        }
        #expect(stored == 0)
    }

    @Test func badRequestsNameTheField() async throws {
        let harness = try await QueueHarness.make()
        let tenant = try await harness.makeTenant()
        let cases: [(JobRequest, String)] = [
            (JobRequest(type: "Bad Type"), "type"), (JobRequest(type: "ok", payload: "{not json"), "payload"),
            (JobRequest(type: "ok", priority: 101), "priority"), (JobRequest(type: "ok", maxAttempts: 0), "max_attempts"),
        ]
        for (request, field) in cases {
            await #expect(throws: ValidationError.self) { _ = try await harness.queue.enqueue(request, tenantID: tenant) }
            do {
                _ = try await harness.queue.enqueue(request, tenantID: tenant)
            } catch let error as ValidationError {
                #expect(error.field == field)
            }
        }
    }

    @Test func aTenantsTransactionCannotEnqueueForAnotherTenant() async throws {
        let harness = try await QueueHarness.make()
        let owner = try await harness.makeTenant()
        let stranger = try await harness.makeTenant()
        await #expect(throws: (any Error).self) {
            try await harness.database.withTenantTransaction(owner) { transaction in
                try await harness.queue.enqueue([JobRequest(type: "record")], tenantID: stranger, in: transaction)
            }
        }
        let strangersJobs = try await harness.database.withTenantTransaction(stranger) { transaction in
            try await transaction.query("SELECT count(*) FROM jobs")[0].decode(Int.self)
        }
        #expect(strangersJobs == 0)
        // In its own transaction the same call works.
        let jobs = try await harness.database.withTenantTransaction(owner) { transaction in
            try await harness.queue.enqueue([JobRequest(type: "record")], tenantID: owner, in: transaction)
        }
        #expect(jobs.count == 1 && jobs[0].created)
    }

    @Test func anotherTenantCannotSeeOrCancelAJob() async throws {
        let harness = try await QueueHarness.make()
        let owner = try await harness.makeTenant()
        let stranger = try await harness.makeTenant()
        let job = try await harness.queue.enqueue(JobRequest(type: "record"), tenantID: owner)
        #expect(try await harness.queue.job(tenantID: stranger, id: job.id) == nil)
        #expect(try await harness.queue.cancel(tenantID: stranger, id: job.id) == nil)
        #expect(try await harness.queue.job(tenantID: owner, id: job.id)?.state == .queued)
    }
}
