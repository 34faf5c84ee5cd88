import Foundation
import ILCCore
import Synchronization

/// Many tenants at once against two workers: a few big tenants keep a backlog of report
/// jobs while the small ones post survey batches, start one report at a time and poll
/// it. No request may fail, and a small tenant's jobs must start about as soon under
/// the big tenants' backlog as when it is alone (fair share across tenants).
enum VerifyLoad {
    static let scenarios: [VerifyScenario] = [
        VerifyScenario("load", "tenants at once, fairness") { lab, settings in
            try await run(lab, tenants: settings.quick ? 20 : 60, seconds: settings.quick ? 10 : 60)
        },
    ]

    private final class Tally: Sendable {
        private struct Counts {
            var requests = 0
            var failures: [String] = []
            var latencies: [Double] = []
        }

        private let counts = Mutex(Counts())

        /// An answer to a request sent at `start`.
        func record(_ answer: VerifyClient.Answer, since start: ContinuousClock.Instant, what: String) {
            let milliseconds = start.duration(to: .now).timeInterval * 1_000
            counts.withLock {
                $0.requests += 1
                $0.latencies.append(milliseconds)
                if !(200..<300).contains(answer.status) && answer.status != 304 {
                    $0.failures.append("\(what): \(answer.status) \(answer.text.prefix(120))")
                }
            }
        }

        func failed(_ what: String, _ error: any Error) {
            counts.withLock { $0.failures.append("\(what): \(error)") }
        }

        var snapshot: (requests: Int, failures: [String], latencies: [Double]) {
            counts.withLock { ($0.requests, $0.failures, $0.latencies.sorted()) }
        }
    }

    private static func run(_ lab: VerifyLab, tenants count: Int, seconds: Int) async throws -> String {
        let workers = try (0..<2).map { try lab.startWorker("load-worker-\($0)", concurrency: 8) }
        do {
            let figures = try await measure(lab, tenants: count, seconds: seconds)
            for worker in workers { await worker.stop() }
            return figures
        } catch {
            // Stopped before the servers are: a worker left behind would outlive them.
            for worker in workers { await worker.stop() }
            throw error
        }
    }

    private static func measure(_ lab: VerifyLab, tenants count: Int, seconds: Int) async throws -> String {
        let big = 3
        var tenants: [VerifyTenant] = []
        for index in 0..<count {
            tenants.append(try await VerifyTenant.create(lab, name: "load-\(index)"))
        }
        // A small tenant alone first: the wait to compare with.
        let alone = try await VerifyTenant.create(lab, name: "load-alone")
        var aloneJobs: [UUID] = []
        for _ in 0..<20 {
            let job = try await alone.startReport(deadline: .now + .seconds(30)).job
            aloneJobs.append(job)
            try await alone.waitUntilEnded([job], timeout: .seconds(30))
        }
        let aloneWait = try await waitPercentile(alone, jobs: aloneJobs, 0.99)

        let tally = Tally()
        let until = ContinuousClock.now + .seconds(seconds)
        let started = ContinuousClock.now
        let smallJobs = await withTaskGroup(of: (UUID, [UUID]).self) { group in
            for (index, tenant) in tenants.enumerated() {
                group.addTask {
                    if index < big {
                        await bigTenant(tenant, until: until, tally: tally)
                        return (tenant.id, [])
                    }
                    return (tenant.id, await smallTenant(tenant, until: until, tally: tally))
                }
            }
            return await group.reduce(into: [UUID: [UUID]]()) { $0[$1.0] = $1.1 }
        }
        let elapsed = started.duration(to: .now).timeInterval
        let (requests, failures, latencies) = tally.snapshot
        guard failures.isEmpty else {
            throw VerifyFailure("\(failures.count) of \(requests) requests failed; first: \(failures[0])")
        }
        var worstWait = 0.0
        for tenant in tenants.dropFirst(big) {
            let jobs = smallJobs[tenant.id] ?? []
            guard !jobs.isEmpty else { throw VerifyFailure("a small tenant got no job accepted") }
            try await tenant.waitUntilEnded(jobs, timeout: .seconds(120))
            worstWait = max(worstWait, try await waitPercentile(tenant, jobs: jobs, 0.99))
        }
        // Fair share: the backlog of the big tenants adds no more than a second.
        guard worstWait <= aloneWait + 1 else {
            throw VerifyFailure(String(format: "small tenants' job wait p99 %.2f s under load, %.2f s alone", worstWait, aloneWait))
        }
        let percentile = { (fraction: Double) in latencies[min(latencies.count - 1, Int(Double(latencies.count) * fraction))] }
        return String(
            format: "%d tenants (%d with a backlog), %d s: %d requests, %.0f/s, p50 %.0f ms, p99 %.0f ms, 0 errors; small tenants' job wait p99 %.2f s at worst (%.2f s alone)",
            count, big, seconds, requests, Double(requests) / elapsed, percentile(0.5), percentile(0.99), worstWait, aloneWait)
    }

    /// Keeps about 50 report jobs waiting.
    private static func bigTenant(_ tenant: VerifyTenant, until: ContinuousClock.Instant, tally: Tally) async {
        var pending: [UUID] = []
        while ContinuousClock.now < until {
            do {
                if pending.count < 50 {
                    for _ in 0..<10 { pending.append(try await timedStart(tenant, tally: tally)) }
                }
                let states = try await tenant.jobStates(pending)
                pending.removeAll { states[$0].map { VerifyTenant.isTerminal($0.state) } ?? false }
                try await Task.sleep(for: .milliseconds(100))
            } catch {
                tally.failed("a big tenant", error)
                return
            }
        }
    }

    /// Posts a survey batch, starts a report, polls it until it ends; again.
    private static func smallTenant(_ tenant: VerifyTenant, until: ContinuousClock.Instant, tally: Tally) async -> [UUID] {
        var jobs: [UUID] = []
        while ContinuousClock.now < until {
            do {
                let batchStart = ContinuousClock.now
                let (_, batch) = VerifyTenant.responseBatch(10)
                let intake = try await tenant.client.send("POST", tenant.intakePath, json: batch, idempotencyKey: UUID().uuidString)
                tally.record(intake, since: batchStart, what: "intake")
                let job = try await timedStart(tenant, tally: tally)
                jobs.append(job)
                while ContinuousClock.now < until + .seconds(30) {
                    let pollStart = ContinuousClock.now
                    let poll = try await tenant.client.send("GET", "/v1/jobs/\(job.uuidString.lowercased())")
                    tally.record(poll, since: pollStart, what: "poll")
                    if VerifyTenant.isTerminal(poll.json["state"] as? String ?? "") { break }
                    try await Task.sleep(for: .milliseconds(200))
                }
            } catch {
                tally.failed("a small tenant", error)
                return jobs
            }
        }
        return jobs
    }

    private static func timedStart(_ tenant: VerifyTenant, tally: Tally) async throws -> UUID {
        let started = ContinuousClock.now
        let answer = try await tenant.client.send("POST", "/v1/reports", json: tenant.reportRequest, idempotencyKey: UUID().uuidString)
        tally.record(answer, since: started, what: "report start")
        return try VerifyTenant.startedJob(answer)
    }

    /// Seconds from when a job was due until it started, at `fraction`.
    private static func waitPercentile(_ tenant: VerifyTenant, jobs: [UUID], _ fraction: Double) async throws -> Double {
        let waits = try await tenant.rows(
            """
            SELECT extract(epoch FROM started_at - run_at)::float8 FROM jobs
            WHERE tenant_id = \(tenant.id) AND id = ANY(\(jobs)::uuid[]) AND started_at IS NOT NULL
            ORDER BY 1
            """
        ) { try $0.decode(Double.self) }
        guard !waits.isEmpty else { return 0 }
        return waits[min(waits.count - 1, Int(Double(waits.count) * fraction))]
    }
}
