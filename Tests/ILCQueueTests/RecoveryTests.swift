import Foundation
import ILCCore
import ILCRedis
import ILCStore
import ILCTestSupport
import Testing

@testable import ILCQueue

@Suite struct RecoveryTests {
    @Test func aJobPushedTwiceRunsOnce() async throws {
        let harness = try await QueueHarness.make()
        let tenant = try await harness.makeTenant()
        let log = RunLog()
        let jobs = try await harness.enqueue(5, tenant: tenant)
        let again = jobs.map { SettledJob(tenantID: $0.tenantID, id: $0.id, state: "queued", priority: 0, runAt: $0.runAt) }
        #expect(try await harness.queue.index.push(again) == 0)
        await harness.queue.dispatch(jobs)
        try await harness.running(harness.worker([RecordingHandler(log: log)])) {
            try await harness.waitUntil(jobs, are: .succeeded)
        }
        // Pushing a finished job again does not run it again either.
        try await harness.queue.index.push(again)
        try await harness.running(harness.worker([RecordingHandler(log: log)])) {
            try await Task.sleep(for: .milliseconds(500))
        }
        #expect(await log.runs.values.allSatisfy { $0 == 1 })
        #expect(await log.runs.count == 5)
    }

    @Test func jobsOfAWorkerThatDiedRunAgainExactlyOnce() async throws {
        let harness = try await QueueHarness.make { $0.leaseDuration = .seconds(1) }
        let tenant = try await harness.makeTenant()
        let jobs = try await harness.enqueue(3, tenant: tenant)
        // A worker that fetches and claims, then dies without a word.
        let (fetched, _) = try await harness.queue.index.fetch(limit: 10, lease: .seconds(1))
        let claimed = try await harness.queue.store.claim(fetched, worker: "dead", lease: .seconds(1))
        #expect(claimed.count == 3)

        let log = RunLog()
        try await harness.running(harness.worker([RecordingHandler(log: log)])) {
            try await harness.waitUntil(jobs, are: .succeeded)
        }
        #expect(await log.runs.values.allSatisfy { $0 == 1 })
        let record = try await harness.record(jobs[0])
        #expect(record.leaseExpirations == 1)
        #expect(record.attempts == 2)

        // The dead worker's late outcome is refused: its lease token is stale.
        let late = claimed.map {
            JobCompletion(
                tenantID: $0.tenantID, id: $0.id, token: $0.token, outcome: .failed, result: nil,
                error: #"{"title":"late"}"#, retryDelay: .zero)
        }
        #expect(try await harness.queue.store.complete(late).isEmpty)
        #expect(try await harness.record(jobs[0]).state == .succeeded)
    }

    @Test func aDuplicateDispatchNeverRunsAJobTwiceAtOnce() async throws {
        let harness = try await QueueHarness.make()
        let tenant = try await harness.makeTenant()
        let jobs = try await harness.enqueue(1, tenant: tenant)
        let dispatched = [DispatchedJob(tenantID: tenant, id: jobs[0].id)]
        let first = try await harness.queue.store.claim(dispatched, worker: "one", lease: .seconds(30))
        let second = try await harness.queue.store.claim(dispatched, worker: "two", lease: .seconds(30))
        #expect(first.count == 1)
        #expect(second.isEmpty)
    }

    /// A duplicate dispatch of a job another worker holds must leave the job's lease in
    /// Redis: if the holder then dies, the reaper still finds it within the lease, not
    /// only at the next full sweep minutes later.
    @Test func aJobDispatchedAgainWhileHeldComesBackWhenItsHolderDies() async throws {
        let harness = try await QueueHarness.make { $0.leaseDuration = .seconds(1) }
        let tenant = try await harness.makeTenant()
        let jobs = try await harness.enqueue(1, tenant: tenant)
        // The full sweep (which would restore a lost lease from PostgreSQL) is done now
        // and not due again for minutes.
        #expect(try await harness.queue.maintain().ranHere)
        let (fetched, _) = try await harness.queue.index.fetch(limit: 10, lease: .seconds(1))
        #expect(try await harness.queue.store.claim(fetched, worker: "dead", lease: .seconds(1)).count == 1)
        let again = jobs.map { SettledJob(tenantID: $0.tenantID, id: $0.id, state: "queued", priority: 0, runAt: $0.runAt) }
        #expect(try await harness.queue.index.push(again) == 1)

        let log = RunLog()
        try await harness.running(harness.worker([RecordingHandler(log: log)])) {
            try await harness.waitUntil(jobs, are: .succeeded)
        }
        #expect(await log.runs[jobs[0].id] == 1)
        let record = try await harness.record(jobs[0])
        #expect(record.leaseExpirations == 1)
        #expect(record.attempts == 2)
    }

    /// The sweeper's progress belongs to the queue: a second worker process does not
    /// check the whole backlog again (nor each new job again) because it is new.
    @Test func workersShareTheSweepersProgress() async throws {
        let harness = try await QueueHarness.make()
        let tenant = try await harness.makeTenant()
        let first = try await harness.queue.maintain()
        #expect(first.ranHere && first.sweptFully)
        let other = try JobQueue(
            configuration: harness.queue.configuration, database: harness.database, redis: harness.redis,
            logger: TestDatabase.logger)
        let second = try await other.maintain()
        #expect(second.ranHere && !second.sweptFully)

        // A job whose push was lost is still found by the other process's incremental pass.
        let lost = try await JobStore(database: harness.database).insertStandalone(
            [JobRequest(type: "record")], queue: harness.queue.configuration.name, tenantID: tenant)
        try await Task.sleep(for: harness.queue.configuration.sweepAge + .milliseconds(200))
        #expect(try await other.maintain().jobsPushedAgain == 1)
        let (fetched, _) = try await harness.queue.index.fetch(limit: 10, lease: .seconds(30))
        #expect(fetched.map(\.id) == lost.map(\.id))
    }

    /// A full sweep reads from a margin before the oldest job the last full sweep left
    /// waiting or running, not the queue's whole history; the hourly complete sweep
    /// still reads it all, so even a job committed later than the margin is found then.
    @Test func aFullSweepStartsAtTheOldestUnfinishedJob() async throws {
        let harness = try await QueueHarness.make()
        let tenant = try await harness.makeTenant()
        let store = JobStore(database: harness.database)
        let queue = harness.queue.configuration.name
        func lostJob(createdSecondsAgo age: Double) async throws -> EnqueuedJob {
            let job = try await store.insertStandalone([JobRequest(type: "record")], queue: queue, tenantID: tenant)[0]
            try await harness.database.withQueueTransaction { transaction in
                try await transaction.execute(
                    """
                    UPDATE jobs SET created_at = now() - \(age) * interval '1 second'
                    WHERE tenant_id = \(tenant) AND id = \(job.id)
                    """)
            }
            return job
        }
        func dueAgain(complete: Bool) async throws {
            var progress = try await harness.queue.index.sweepProgress()
            progress.lastFullSweep = Date(timeIntervalSince1970: 0)
            if complete { progress.lastCompleteSweep = Date(timeIntervalSince1970: 0) }
            try await harness.queue.index.recordSweep(progress)
        }

        // An hour-old waiting job Redis never had: the first pass reads everything.
        let waiting = try await lostJob(createdSecondsAgo: 3_600)
        let first = try await harness.queue.maintain()
        #expect(first.sweptFully && first.jobsPushedAgain == 1)
        let created = try await harness.record(waiting).createdAt
        let since = try #require(try await harness.queue.index.sweepProgress().unfinishedSince)
        #expect(abs(since.timeIntervalSince(created)) < 0.01)

        // Two hours old, committed after that pass: before the margin, so the next full
        // sweep does not read it (it reads the hour-old job, which Redis has)…
        let late = try await lostJob(createdSecondsAgo: 7_200)
        try await dueAgain(complete: false)
        let second = try await harness.queue.maintain()
        #expect(second.sweptFully && second.jobsPushedAgain == 0)
        // …and the complete sweep does.
        try await dueAgain(complete: true)
        #expect(try await harness.queue.maintain().jobsPushedAgain == 1)
        let (fetched, _) = try await harness.queue.index.fetch(limit: 10, lease: .seconds(30))
        #expect(Set(fetched.map(\.id)) == [waiting.id, late.id])
    }

    /// A job whose transaction commits a while after it began, and whose push never
    /// came, is found by the next incremental sweep, not only by the next full one.
    /// (The promise holds for commits up to `commitSlack` after the transaction began; on
    /// a machine so busy that the pass inside the transaction ends later than that, the
    /// case is not the one tested, and it is tried again, at most three times.)
    @Test func aJobCommittedLateIsStillSwept() async throws {
        for attempt in 1...3 {
            // A queue of its own each time: an earlier attempt's job must not be swept here.
            let harness = try await QueueHarness.make()
            let tenant = try await harness.makeTenant()
            #expect(try await harness.queue.maintain().sweptFully)
            let began = ContinuousClock.now
            var inTime = false
            try await harness.database.withTenantTransaction(tenant) { transaction in
                _ = try await harness.queue.enqueue([JobRequest(type: "record")], tenantID: tenant, in: transaction)
                // Past the sweep age while still uncommitted: this pass cannot see the job.
                try await Task.sleep(for: harness.queue.configuration.sweepAge + .milliseconds(300))
                #expect(try await harness.queue.maintain().jobsPushedAgain == 0)
                inTime = ContinuousClock.now - began < JobQueue.commitSlack - .milliseconds(500)
            }
            guard inTime || attempt == 3 else { continue }
            #expect(inTime, "the pass inside the transaction ended too late three times: the machine is too busy")
            let next = try await harness.queue.maintain()
            #expect(!next.sweptFully)
            #expect(next.jobsPushedAgain == 1)
            return
        }
    }

    /// The maintenance interval is the queue's, not each worker's: while another
    /// worker's turn lasts this one makes no pass (so a lost push waits), and once the
    /// turn lapses it makes one.
    @Test func workersTakeTurnsAtMaintenance() async throws {
        let harness = try await QueueHarness.make()
        let tenant = try await harness.makeTenant()
        #expect(try await harness.queue.index.takeMaintenanceTurn(every: .seconds(600), by: "another worker"))
        #expect(try await !harness.queue.index.takeMaintenanceTurn(every: .seconds(600), by: "a third worker"))
        let lost = try await JobStore(database: harness.database).insertStandalone(
            [JobRequest(type: "record")], queue: harness.queue.configuration.name, tenantID: tenant)
        let log = RunLog()
        try await harness.running(harness.worker([RecordingHandler(log: log)])) {
            try await Task.sleep(for: harness.queue.configuration.sweepAge + .seconds(1))
            #expect(await log.runs.isEmpty)
            _ = try await harness.redis.send(RedisCommand("DEL", .string(harness.queue.index.prefix + ":maintenance")))
            try await harness.waitUntil(lost, are: .succeeded)
        }
        #expect(await log.runs[lost[0].id] == 1)
    }

    /// An idle worker's wait ends in a fetch that Redis runs at once: the job pushed
    /// during the wait comes back with it. A Redis that lost its functions meanwhile
    /// has them loaded again instead of failing the wait.
    @Test func aWaitEndsInAFetch() async throws {
        let server = try await RedisTestServer()
        try await server.start()
        let redis = RedisClient(configuration: server.configuration)
        let harness = try await QueueHarness.make(redis: redis)
        let tenant = try await harness.makeTenant()
        let index = harness.queue.index
        #expect(try await index.fetch(limit: 10, lease: .seconds(30)).jobs.isEmpty)
        let waiting = Task {
            try await redis.withDedicatedConnection { connection in
                try await index.waitThenFetch(on: connection, timeout: .seconds(30), limit: 10, lease: .seconds(30))
            }
        }
        try await Task.sleep(for: .milliseconds(200))
        let jobs = try await harness.enqueue(1, tenant: tenant)
        #expect(try await waiting.value.jobs.map(\.id) == jobs.map(\.id))

        _ = try await redis.send(RedisCommand("FUNCTION", "FLUSH"))
        let afterFlush = try await redis.withDedicatedConnection { connection in
            try await index.waitThenFetch(on: connection, timeout: .milliseconds(50), limit: 10, lease: .seconds(30))
        }
        #expect(afterFlush.jobs.isEmpty)
        await redis.close()
        try await server.kill()
    }

    @Test func redisLosingEverythingLosesNoJob() async throws {
        let server = try await RedisTestServer()
        try await server.start()
        let redis = RedisClient(configuration: server.configuration)
        let harness = try await QueueHarness.make(redis: redis)
        let tenants = [try await harness.makeTenant(), try await harness.makeTenant()]
        let jobs = try await harness.enqueue(500, tenant: tenants[0]) + (try await harness.enqueue(500, tenant: tenants[1]))
        _ = try await redis.send(RedisCommand("FLUSHALL"))
        _ = try await redis.send(RedisCommand("FUNCTION", "FLUSH"))

        let log = RunLog()
        try await harness.running(harness.worker([RecordingHandler(log: log)], concurrency: 16)) {
            try await harness.waitUntil(jobs, are: .succeeded)
        }
        #expect(await log.runs.count == 1_000)
        #expect(await log.runs.values.allSatisfy { $0 == 1 })
        await redis.close()
        try await server.kill()
    }

    /// A hung Redis (stopped, not gone: its commands wait for the client's 10 s
    /// timeout) does not hold up enqueuing beyond `dispatchPatience`; the job is
    /// committed and runs once Redis answers again.
    @Test func enqueuingDoesNotWaitOutAHungRedis() async throws {
        let server = try await RedisTestServer()
        try await server.start()
        let redis = RedisClient(configuration: server.configuration)
        let harness = try await QueueHarness.make(redis: redis) { $0.dispatchPatience = .milliseconds(200) }
        let tenant = try await harness.makeTenant()
        let before = try await harness.enqueue(1, tenant: tenant)
        server.pause()
        let started = ContinuousClock.now
        let during = try await harness.enqueue(1, tenant: tenant)
        let waited = started.duration(to: .now)
        server.resume()
        #expect(waited < .seconds(5), "waited \(waited), as if for the command timeout")
        #expect(try await harness.record(during[0]).state == .queued)

        let log = RunLog()
        try await harness.running(harness.worker([RecordingHandler(log: log)])) {
            try await harness.waitUntil(before + during, are: .succeeded)
        }
        #expect(await log.runs.count == 2)
        await redis.close()
        try await server.kill()
    }

    /// Leases live in Redis too: after Redis loses everything, the jobs a dead worker
    /// held still come back (their leases are restored from PostgreSQL).
    @Test func aDeadWorkersJobsRunAgainAfterRedisLostItsLeases() async throws {
        let server = try await RedisTestServer()
        try await server.start()
        let redis = RedisClient(configuration: server.configuration)
        let harness = try await QueueHarness.make(redis: redis) { $0.leaseDuration = .seconds(1) }
        let tenant = try await harness.makeTenant()
        let jobs = try await harness.enqueue(3, tenant: tenant)
        let (fetched, _) = try await harness.queue.index.fetch(limit: 10, lease: .seconds(1))
        #expect(try await harness.queue.store.claim(fetched, worker: "dead", lease: .seconds(1)).count == 3)
        _ = try await redis.send(RedisCommand("FLUSHALL"))

        let log = RunLog()
        try await harness.running(harness.worker([RecordingHandler(log: log)])) {
            try await harness.waitUntil(jobs, are: .succeeded)
        }
        #expect(await log.runs.count == 3)
        #expect(try await harness.record(jobs[0]).leaseExpirations == 1)
        await redis.close()
        try await server.kill()
    }

    @Test func shutdownLetsRunningJobsFinish() async throws {
        let harness = try await QueueHarness.make()
        let tenant = try await harness.makeTenant()
        let log = RunLog()
        let jobs = try await harness.enqueue(4, tenant: tenant)
        let worker = harness.worker([RecordingHandler(log: log, delay: .milliseconds(1_500))], concurrency: 4)
        let task = Task { await worker.run() }
        // The handlers' own log says when all four run (polling PostgreSQL under load
        // could miss a short running state).
        while await log.starts.count < 4 {
            try await Task.sleep(for: .milliseconds(10))
        }
        task.cancel()
        await task.value
        for job in jobs {
            let record = try await harness.record(job)
            #expect(record.state == .succeeded)
            #expect(record.attempts == 1)
        }
    }

    @Test func shutdownPastTheGracePeriodReleasesJobsWithoutChargingAnAttempt() async throws {
        let harness = try await QueueHarness.make()
        let tenant = try await harness.makeTenant()
        let jobs = try await harness.enqueue(2, tenant: tenant, type: "endless")
        let worker = harness.worker([EndlessHandler(log: RunLog())], concurrency: 2, grace: .milliseconds(200))
        let task = Task { await worker.run() }
        try await harness.waitUntil(jobs, are: .running)
        task.cancel()
        await task.value
        for job in jobs {
            let record = try await harness.record(job)
            #expect(record.state == .queued)
            #expect(record.attempts == 0)
        }
    }

    @Test func jobsClaimedAheadAreGivenBackAtShutdownAndRunOnceLater() async throws {
        let harness = try await QueueHarness.make()
        let tenant = try await harness.makeTenant()
        let log = RunLog()
        let jobs = try await harness.enqueue(5_000, tenant: tenant)
        let worker = harness.worker([RecordingHandler(log: log)], concurrency: 2)
        let task = Task { await worker.run() }
        // Quick jobs: after the first runs the worker claims ahead.
        while await log.starts.count < 50 {
            try await Task.sleep(for: .milliseconds(5))
        }
        task.cancel()
        await task.value
        let states = try await harness.database.withQueueTransaction { transaction in
            try await transaction.query(
                "SELECT state, attempts, count(*) FROM jobs WHERE queue = \(harness.queue.configuration.name) GROUP BY 1, 2"
            ).map { try $0.decode((String, Int32, Int).self) }
        }
        // Nothing stays claimed; what did not run was not charged an attempt.
        for (state, attempts, _) in states {
            #expect((state == "succeeded" && attempts == 1) || (state == "queued" && attempts == 0), "\(state) \(attempts)")
        }
        #expect(states.contains { $0.0 == "queued" })

        try await harness.running(harness.worker([RecordingHandler(log: log)], concurrency: 2)) {
            try await harness.waitUntil(jobs, are: .succeeded)
        }
        #expect(await log.runs.count == jobs.count)
        #expect(await log.runs.values.allSatisfy { $0 == 1 })
    }

    @Test func slowJobsAreNotClaimedAhead() async throws {
        let harness = try await QueueHarness.make()
        let tenant = try await harness.makeTenant()
        let log = RunLog()
        let jobs = try await harness.enqueue(20, tenant: tenant)
        var mostRunning = 0
        try await harness.running(harness.worker([RecordingHandler(log: log, delay: .milliseconds(60))], concurrency: 1)) {
            while await log.starts.count < jobs.count {
                let running = try await harness.database.withQueueTransaction { transaction in
                    try await transaction.query(
                        "SELECT count(*) FROM jobs WHERE queue = \(harness.queue.configuration.name) AND state = 'running'"
                    )[0].decode(Int.self)
                }
                mostRunning = max(mostRunning, running)
                try await Task.sleep(for: .milliseconds(15))
            }
            try await harness.waitUntil(jobs, are: .succeeded)
        }
        // One slot: the job running, plus the few whose outcomes are still being written
        // (outcomes are batched, and slower on a busy machine). Claiming ahead would
        // claim all twenty at once.
        #expect(mostRunning <= 4)
    }
}
