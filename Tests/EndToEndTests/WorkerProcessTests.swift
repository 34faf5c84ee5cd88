import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ILCCore
import ILCQueue
import ILCRedis
import ILCStore
import ILCTestSupport
import Testing

/// Real `ilc-worker` processes on the `noop` queue. Serialized: they share that queue.
@Suite(.serialized) struct WorkerProcessTests {
    private func queues() async throws -> JobQueues {
        let database = try await TestDatabase.sharedApp.value
        let redis = RedisClient(configuration: try RedisConfiguration.fromEnvironment())
        return JobQueues(database: database, redis: redis, logger: TestDatabase.logger)
    }

    private func waitFor(
        _ job: EnqueuedJob, in queue: JobQueue, timeout: Duration = .seconds(60), until condition: (JobRecord) -> Bool
    ) async throws -> JobRecord {
        let deadline = ContinuousClock.now + timeout
        while true {
            let record = try #require(try await queue.job(tenantID: job.tenantID, id: job.id))
            if condition(record) { return record }
            guard ContinuousClock.now < deadline else {
                Issue.record("job \(job.id) stayed \(record.state)")
                return record
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    private let fastRecovery = ["--lease-seconds", "2", "--maintenance-seconds", "1", "--types", "noop", "--metrics-port", "0"]

    @Test func aJobOfAKilledWorkerRunsAgainOnAnotherAndSucceedsOnce() async throws {
        let queue = try await queues().queue(for: "noop")
        let tenant = try await TestDatabase.makeTenant(try await TestDatabase.sharedApp.value).id
        let first = try WorkerProcess(id: "e2e-kill-a-\(UUID().uuidString.prefix(4))", arguments: ["--concurrency", "1"] + fastRecovery)
        // Long enough that a busy test machine still kills the worker while the job runs.
        let job = try await queue.enqueue(JobRequest(type: "noop", payload: #"{"duration_ms": 8000}"#), tenantID: tenant)
        let running = try await waitFor(job, in: queue) { $0.state == .running || $0.state.isTerminal }
        try #require(running.state == .running, "the job finished before the worker was killed")

        first.signal(SIGKILL)
        _ = await first.waitForExit()
        let killedAt = Date()
        let metricsPort = try await FreePort.next()
        let second = try WorkerProcess(
            id: "e2e-kill-b-\(UUID().uuidString.prefix(4))",
            arguments: ["--concurrency", "1"] + fastRecovery + ["--metrics-port", String(metricsPort)])
        let record = try await waitFor(job, in: queue) { $0.state.isTerminal }

        #expect(record.state == .succeeded, "\(second.log)")
        #expect(record.attempts == 2)
        #expect(record.leaseExpirations == 1)
        // Recovery is bounded by the lease (2 s), a maintenance pass (1 s) and the run (8 s).
        let recovery = try #require(record.finishedAt).timeIntervalSince(killedAt)
        #expect(recovery < 2 + 1 + 8 + 10, "recovered after \(recovery) s")

        // The worker that finished it says so in its metrics.
        let (body, response) = try await URLSession.shared.data(from: try #require(URL(string: "http://127.0.0.1:\(metricsPort)/metrics")))
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let metrics = String(decoding: body, as: UTF8.self)
        #expect(metrics.contains(#"ilc_jobs_finished_total{queue="noop",outcome="succeeded"}"#), "\(metrics)")
        #expect(metrics.contains(#"ilc_job_wait_seconds_bucket{queue="noop",tenant="\#(tenant.uuidString.lowercased())""#), "\(metrics)")

        second.signal(SIGTERM)
        #expect(await second.waitForExit() == 0)
    }

    /// `--log-format json`: every line the process writes is one JSON object, with the
    /// worker's id as a field.
    @Test func jsonLogsAreOneObjectPerLine() async throws {
        let id = "e2e-json-\(UUID().uuidString.prefix(4))"
        let worker = try WorkerProcess(id: id, arguments: ["--log-format", "json"] + fastRecovery)
        // Signalled only once it has registered: by then its service group handles SIGTERM.
        let deadline = ContinuousClock.now + .seconds(30)
        while try await !CLIProcess.run(["status"]).standardOutput.contains(id), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
        }
        worker.signal(SIGTERM)
        #expect(await worker.waitForExit() == 0)
        let lines = worker.log.split(separator: "\n").filter { !$0.isEmpty }
        #expect(lines.count >= 2, "\(worker.log)")
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["logger"] as? String == "ilc.worker", "\(line)")
        }
        #expect(lines.contains { $0.contains(#""id":"\#(id)""#) || $0.contains(#""worker":"\#(id)""#) }, "\(worker.log)")
    }

    @Test func sigtermLetsInFlightJobsFinish() async throws {
        let queue = try await queues().queue(for: "noop")
        let tenant = try await TestDatabase.makeTenant(try await TestDatabase.sharedApp.value).id
        let worker = try WorkerProcess(
            id: "e2e-term-\(UUID().uuidString.prefix(4))", arguments: ["--concurrency", "4", "--grace", "30"] + fastRecovery)
        // Long enough that a busy test machine still signals while they run.
        let jobs = try await queue.enqueue(
            Array(repeating: JobRequest(type: "noop", payload: #"{"duration_ms": 8000}"#), count: 4), tenantID: tenant)
        for job in jobs {
            let record = try await waitFor(job, in: queue) { $0.state == .running || $0.state.isTerminal }
            try #require(record.state == .running, "the job finished before the worker was signalled")
        }
        // Operators see it running…
        let status = try await CLIProcess.run(["status"])
        #expect(status.standardOutput.contains(worker.id), "\(status.standardOutput)")

        worker.signal(SIGTERM)
        #expect(await worker.waitForExit() == 0, "\(worker.log)")
        // …and no longer once it stopped.
        #expect(!(try await CLIProcess.run(["status"])).standardOutput.contains(worker.id))
        for job in jobs {
            let record = try #require(try await queue.job(tenantID: tenant, id: job.id))
            #expect(record.state == .succeeded)
            #expect(record.attempts == 1)
        }
        #expect(worker.log.contains("draining"))
    }

    @Test func badWorkerArgumentsAreRefusedWithTheirName() async throws {
        let outcome = try await CLIProcess.run(["--types", "no-such-type"], executable: "ilc-worker")
        #expect(outcome.status == 64)
        #expect(outcome.standardError.contains("no-such-type"))
        let badPort = try await CLIProcess.run(
            ["--types", "noop"], executable: "ilc-worker", environment: ["ILC_METRICS_PORT": "ninety"])
        #expect(badPort.status == 64)
        #expect(badPort.standardError.contains("ILC_METRICS_PORT must be a port number"), "\(badPort.standardError)")
        let noSlots = try await CLIProcess.run(["--types", "noop", "--concurrency", "0"], executable: "ilc-worker")
        #expect(noSlots.status == 64)
        #expect(noSlots.standardError.contains("--concurrency must be 1…100000"), "\(noSlots.standardError)")
        let endlessLease = try await CLIProcess.run(
            ["--types", "noop", "--lease-seconds", "9223372036854775807"], executable: "ilc-worker")
        #expect(endlessLease.status == 64)
        #expect(endlessLease.standardError.contains("--lease-seconds must be 1…86400"), "\(endlessLease.standardError)")
    }

    /// Without `--metrics-port` the worker listens where `ILC_METRICS_PORT` says.
    @Test func theMetricsPortComesFromTheEnvironmentWithoutTheFlag() async throws {
        let metricsPort = try await FreePort.next()
        let worker = try WorkerProcess(
            id: "e2e-port-\(UUID().uuidString.prefix(4))", arguments: ["--types", "noop"],
            environment: ["ILC_METRICS_PORT": String(metricsPort)])
        let url = try #require(URL(string: "http://127.0.0.1:\(metricsPort)/metrics"))
        var answered = false
        let deadline = ContinuousClock.now + .seconds(30)
        while !answered, ContinuousClock.now < deadline {
            if let (_, response) = try? await URLSession.shared.data(from: url) {
                answered = (response as? HTTPURLResponse)?.statusCode == 200
            } else {
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        #expect(answered, "\(worker.log)")
        worker.signal(SIGTERM)
        #expect(await worker.waitForExit() == 0, "\(worker.log)")
    }
}
