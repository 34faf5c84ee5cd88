import Foundation
import ILCCore
import ILCRedis
import Logging

extension Worker {
    /// Takes work while slots are free; blocks on Redis while there is none.
    func fetchLoop() async {
        var failures = 0
        while true {
            let wanted = await slots.acquire(
                upTo: configuration.fetchBatch, batch: max(1, concurrency / 2), linger: configuration.fetchLinger)
            guard wanted > 0 else { return }
            // Slots this loop still holds; `start` takes over those of fetched jobs.
            var held = wanted
            do {
                let (fetched, nextDue) = try await queue.index.fetch(limit: wanted)
                failures = 0
                await slots.release(wanted - fetched.count)
                held = fetched.count
                if fetched.isEmpty {
                    try await waitForWork(nextDue: nextDue)
                    continue
                }
                held = 0
                try await start(fetched)
            } catch {
                await slots.release(held)
                failures += 1
                logger.warning("fetching jobs failed", metadata: ["error": "\(error)", "failures": "\(failures)"])
                try? await Task.sleep(for: .milliseconds(min(50 * (1 << min(failures, 6)), 2_000)))
            }
        }
    }

    private func waitForWork(nextDue: Date?) async throws {
        var wait = configuration.idleWait
        if let nextDue {
            let untilDue = Duration.milliseconds(Int64(nextDue.timeIntervalSinceNow * 1000) + 1)
            wait = max(.milliseconds(1), min(wait, untilDue))
        }
        try await redis.withDedicatedConnection { connection in
            try await queue.index.waitForWork(on: connection, timeout: wait)
        }
    }

    /// Claims fetched jobs in PostgreSQL and starts a handler for each claimed one.
    private func start(_ fetched: [DispatchedJob]) async throws {
        let claimed: [JobStore.Claimed]
        do {
            claimed = try await queue.store.claim(fetched, worker: id, lease: configuration.leaseDuration)
        } catch {
            // Redis leases them to us; they expire and the sweeper pushes them again.
            await slots.release(fetched.count)
            throw error
        }
        metrics.claimed(claimed.count)
        for job in claimed {
            metrics.waited(since: job.createdAt)
            await running.launch(job.id, tenantID: job.tenantID, token: job.token) {
                Task { await self.execute(job) }
            }
        }
        if claimed.count < fetched.count {
            let claimedIDs = Set(claimed.map(\.id))
            let skipped = fetched.filter { !claimedIDs.contains($0.id) }
            await slots.release(skipped.count)
            do {
                try await reconcile(skipped)
            } catch {
                // Maintenance recounts in-flight slots and the sweeper re-pushes what
                // is still queued: nothing is lost, only delayed.
                logger.warning("could not tell Redis about unclaimed jobs", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Jobs Redis dispatched that PostgreSQL would not let us claim: finished,
    /// cancelled, already running elsewhere (a duplicate dispatch), or not yet due.
    private func reconcile(_ skipped: [DispatchedJob]) async throws {
        let states = try await queue.store.states(of: skipped)
        var notDue: [SettledJob] = []
        var forget: [UUID] = []  // tenants of jobs to forget
        for job in skipped {
            if let current = states[job.id], current.state == .queued {
                notDue.append(
                    SettledJob(
                        tenantID: job.tenantID, id: job.id, state: current.state.rawValue, priority: current.priority,
                        runAt: current.runAt))
            } else {
                forget.append(job.tenantID)
            }
        }
        // Each dispatch took an in-flight slot of its tenant: give it back.
        try await queue.index.finish(tenants: forget)
        try await queue.index.requeue(notDue)
    }
}
