import Foundation
import ILCCore
import ILCRedis

/// The fault scenarios: each breaks one part on purpose while a partner writes, heals
/// it, then checks that no accepted job or record was lost, every job ended, and each
/// job's effect exists exactly once.
enum VerifyFaults {
    static let scenarios: [VerifyScenario] = [
        VerifyScenario("fault", "worker SIGKILL before its write") { lab, _ in try await killedMidJob(lab, moment: "before-run") },
        VerifyScenario("fault", "worker SIGKILL after its write") { lab, _ in try await killedMidJob(lab, moment: "after-run") },
        VerifyScenario("fault", "worker SIGTERM under load") { lab, _ in
            try await underTraffic(lab, name: "sigterm") { workers, _ in
                let status = await workers.all[0].stopped(signal: SIGTERM)
                guard status == 0 else { throw VerifyFailure("the worker exited \(status.map(String.init) ?? "late") after SIGTERM") }
                return "drained and exited 0"
            }
        },
        VerifyScenario("fault", "workers 2 → 0 → 2") { lab, _ in
            try await underTraffic(lab, name: "scale") { workers, _ in
                for worker in workers.all {
                    guard await worker.stopped(signal: SIGTERM) == 0 else { throw VerifyFailure("a worker did not drain cleanly") }
                }
                // Work piles up with nobody to run it.
                try await Task.sleep(for: .seconds(3))
                try workers.add(2)
                return "3 s without workers"
            }
        },
        VerifyScenario("fault", "Redis SIGKILL + restart (AOF)") { lab, _ in
            try await underTraffic(lab, name: "redis-kill") { _, _ in
                let pid = try await lab.redisPID()
                kill(pid, SIGKILL)
                try await Task.sleep(for: .seconds(2))
                try await lab.services("up")
                return "down 2 s"
            }
        },
        VerifyScenario("fault", "Redis data wiped (FLUSHALL)") { lab, _ in
            try await underTraffic(lab, name: "redis-wipe") { _, _ in
                _ = try await lab.redis.send(RedisCommand("FLUSHALL"))
                return "dispatch index rebuilt from PostgreSQL"
            }
        },
        VerifyScenario("fault", "Redis paused 10 s (SIGSTOP)") { lab, _ in
            try await underTraffic(lab, name: "redis-pause") { _, _ in
                let pid = try await lab.redisPID()
                VerifyCleanup.register(pid, signal: SIGCONT)
                kill(pid, SIGSTOP)
                try await Task.sleep(for: .seconds(10))
                kill(pid, SIGCONT)
                VerifyCleanup.forget(pid)
                return "paused 10 s"
            }
        },
        VerifyScenario("fault", "PostgreSQL crash + restart (immediate)") { lab, _ in
            try await underTraffic(lab, name: "pg-crash") { _, tenant in
                try await lab.services("crash-postgres")
                let answers: String
                do {
                    // The API's watch looks twice a second, waits 2 s for an answer and
                    // needs two failures in a row: give it time to notice.
                    try await Task.sleep(for: .seconds(4))
                    answers = try await probeWhileDown(tenant, for: .seconds(3))
                } catch {
                    _ = try? await lab.services("up")
                    throw error
                }
                try await lab.services("up")
                return answers
            }
        },
        VerifyScenario("fault", "PostgreSQL backends terminated mid-transaction") { lab, _ in
            try await underTraffic(lab, name: "pg-terminate") { _, _ in
                // For three seconds, every 20 ms, each statement its own transaction (so
                // each sees the backends as they are then): whatever backend is inside a
                // transaction at that moment is ended.
                let round = """
                    SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                    WHERE backend_type = 'client backend' AND usename <> current_user AND datname = current_database()
                        AND state IN ('active', 'idle in transaction');
                    SELECT pg_sleep(0.02);
                    """
                let output = try await lab.services("sql", String(repeating: round, count: 150))
                let terminated = output.split(whereSeparator: \.isNewline).compactMap { Int($0) }.reduce(0, +)
                guard terminated > 0 else { throw VerifyFailure("no backend was caught inside a transaction") }
                return "\(terminated) backends terminated inside transactions"
            }
        },
        VerifyScenario("fault", "worker SIGTERM, PostgreSQL and Redis down") { lab, _ in
            try await underTraffic(lab, name: "stranded") { workers, _ in
                try await lab.services("crash-postgres")
                kill(try await lab.redisPID(), SIGKILL)
                // It cannot write what its jobs did: it must still exit (those jobs run
                // again elsewhere once their leases expire), not wait for the servers:
                // within its grace for running jobs (20 s), the window for their final
                // writes (15 s) and the 5 s it gives its registry entry, not when the
                // connection pool gives up a minute on.
                let signalled = ContinuousClock.now
                let status = await workers.all[0].stopped(signal: SIGTERM, timeout: .seconds(55))
                let took = signalled.duration(to: .now).timeInterval
                try await lab.services("up")
                guard let status else { throw VerifyFailure("the worker still ran 55 s after SIGTERM with both servers down") }
                return String(format: "the worker exited (status %d) %.1f s after SIGTERM with both down", status, took)
            }
        },
    ]

    /// A worker paused at its fault point (before or after the report job's write) is
    /// killed; another worker must run the job again and leave exactly one report.
    private static func killedMidJob(_ lab: VerifyLab, moment: String) async throws -> String {
        let tenant = try await VerifyTenant.create(lab, name: "kill-\(moment)")
        let (job, recovery) = try await tenant.killedAtFaultPoint(type: "report-generation", moment: moment) {
            try await tenant.startReport(deadline: .now + .seconds(30)).job
        } reached: { job in
            // After the write its report is stored.
            let reports = try await tenant.reportCounts([job])[job] ?? 0
            return moment == "before-run" ? reports == 0 : reports == 1
        }
        _ = try await tenant.checkOutcome(jobs: [job], reportJobs: [job], externalIDs: [])
        return String(format: "ran again once, one report; done %.1f s after the kill (lease %d s)", recovery, VerifyLab.leaseSeconds)
    }

    /// Two workers and a partner's traffic (of the tenant `fault` is also given); `fault`
    /// breaks something and heals it (the answer describes it); afterwards everything
    /// accepted must be there, once.
    private static func underTraffic(
        _ lab: VerifyLab, name: String, _ fault: (VerifyWorkers, VerifyTenant) async throws -> String
    ) async throws -> String {
        let tenant = try await VerifyTenant.create(lab, name: name)
        let workers = VerifyWorkers(lab: lab, name: name)
        try workers.add(2)
        let mix: VerifyJobMix
        do {
            mix = try await VerifyJobMix.prepare(tenant)
        } catch {
            await workers.stopAll()
            throw error
        }
        let traffic = VerifyTraffic.start(tenant, mix: mix)
        do {
            try await traffic.waitForJobs(10)
            lab.note("traffic flowing; breaking")
            let what = try await fault(workers, tenant)
            let healed = ContinuousClock.now
            lab.note("healed (\(what)); traffic goes on")
            // Work goes on after healing too.
            let before = traffic.acceptedJobs
            try await traffic.waitForJobs(before + 10, timeout: .seconds(120))
            let summary = try await traffic.stop()
            lab.note("traffic stopped; waiting for \(summary.jobs.count) jobs to end")
            try await tenant.waitUntilEnded(summary.jobs, timeout: .seconds(90))
            let settled = healed.duration(to: .now).timeInterval
            let reruns = try await tenant.checkOutcome(
                jobs: summary.jobs, reportJobs: summary.jobsByType["report-generation"] ?? [], externalIDs: summary.externalIDs)
            let effects = try await mix.check(tenant, jobs: summary.jobsByType)
            await workers.stopAll()
            await mix.close()
            return String(
                format: "%@; %d jobs (%d reruns), %d responses, %d answers 503 retried, slowest write %.1f s; "
                    + "all done %.1f s after healing; %@",
                what, summary.jobs.count, reruns, summary.externalIDs.count, summary.unavailable,
                summary.slowest.timeInterval, settled, effects)
        } catch {
            _ = try? await traffic.stop()
            await workers.stopAll()
            await mix.close()
            throw error
        }
    }

    /// While PostgreSQL is down the API must answer 503 problem+json with Retry-After
    /// at once, not hang or fail otherwise.
    private static func probeWhileDown(_ tenant: VerifyTenant, for span: Duration) async throws -> String {
        let until = ContinuousClock.now + span
        var slowest = Duration.zero
        var answers = 0
        while ContinuousClock.now < until {
            let started = ContinuousClock.now
            let answer = try await tenant.client.send("GET", "/v1/cycles/\(tenant.cycleID.uuidString.lowercased())", timeout: 10)
            slowest = max(slowest, started.duration(to: .now))
            guard answer.status == 503, answer.isProblem, answer.header("Retry-After") != nil else {
                throw VerifyFailure("while PostgreSQL was down the API answered \(answer.status): \(answer.text)")
            }
            answers += 1
            try await Task.sleep(for: .milliseconds(100))
        }
        return String(format: "down 7 s: %d reads answered 503 problem+json, slowest in %.0f ms", answers, slowest.timeInterval * 1_000)
    }
}
