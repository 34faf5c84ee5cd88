import Foundation
import ILCCore
import ILCRedis
import Logging

extension Worker {
    /// Takes work while slots are free; blocks on Redis while there is none.
    func fetchLoop() async {
        var failures = 0
        // The last fetch found nothing: the next one waits for a wake-up first.
        var idle = false
        var nextDue: Date?
        while true {
            // Claiming ahead only pays while jobs are quick.
            let prefetch = runTimes.jobsAreQuick ? configuration.prefetch : 0
            let wanted = await holdings.acquire(
                upTo: configuration.fetchBatch, batch: max(1, (concurrency + prefetch) / 2), linger: configuration.fetchLinger,
                holdBack: configuration.prefetch - prefetch)
            guard wanted > 0 else { return }
            // Slots this loop still holds; `start` takes over those of fetched jobs.
            var held = wanted
            do {
                let (fetched, due) = idle
                    ? try await waitThenFetch(limit: wanted, nextDue: nextDue)
                    : try await queue.index.fetch(limit: wanted, lease: configuration.leaseDuration)
                failures = 0
                await holdings.release(wanted - fetched.count)
                held = fetched.count
                (idle, nextDue) = (fetched.isEmpty, due)
                if fetched.isEmpty { continue }
                held = 0
                try await start(fetched)
            } catch {
                await holdings.release(held)
                failures += 1
                logger.warning("fetching jobs failed", metadata: ["error": "\(error)", "failures": "\(failures)"])
                try? await Task.sleep(for: .milliseconds(min(50 * (1 << min(failures, 6)), 2_000)))
            }
        }
    }

    /// Blocks until a push wakes idle workers (or the next delayed job falls due, or
    /// `idleWait` passes), then fetches.
    private func waitThenFetch(limit: Int, nextDue: Date?) async throws -> (jobs: [DispatchedJob], nextDue: Date?) {
        var wait = configuration.idleWait
        if let nextDue {
            let untilDue = Duration.milliseconds(Int64(nextDue.timeIntervalSinceNow * 1000) + 1)
            wait = max(.milliseconds(1), min(wait, untilDue))
        }
        return try await redis.withDedicatedConnection { connection in
            try await queue.index.waitThenFetch(on: connection, timeout: wait, limit: limit, lease: configuration.leaseDuration)
        }
    }

    /// Claims fetched jobs in PostgreSQL and starts a handler for each claimed one.
    private func start(_ fetched: [DispatchedJob]) async throws {
        let claimed: [JobStore.Claimed]
        do {
            claimed = try await queue.store.claim(fetched, worker: id, lease: configuration.leaseDuration)
        } catch {
            // Redis leases them to us; they expire and the sweeper pushes them again.
            await holdings.release(fetched.count)
            throw error
        }
        metrics.claimed(claimed.count)
        // In the order Redis dispatched them (fair share, then priority): the claim's
        // rows come back in whatever order its plan visits them.
        let position = Dictionary(fetched.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        await ready.append(claimed.sorted { position[$0.id, default: 0] < position[$1.id, default: 0] })
        if claimed.count < fetched.count {
            let claimedIDs = Set(claimed.map(\.id))
            let skipped = fetched.filter { !claimedIDs.contains($0.id) }
            await holdings.release(skipped.count)
            do {
                try await reconcile(skipped)
            } catch {
                // Maintenance recounts in-flight slots and the sweeper re-pushes what
                // is still queued: nothing is lost, only delayed.
                logger.warning("could not tell Redis about unclaimed jobs", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Starts claimed jobs as handler slots free up. A job claimed ahead that waited
    /// half a lease (its lease is not extended while it waits) or is still waiting
    /// at shutdown is given back without charging an attempt.
    func launchLoop() async {
        while let entry = await ready.next() {
            let job = entry.job
            guard await handlerSlots.acquire(upTo: 1, batch: 1, linger: .zero) > 0 else {
                await giveBack(job)
                continue
            }
            guard entry.claimedAt.duration(to: .now) < configuration.leaseDuration / 2 else {
                await handlerSlots.release(1)
                await giveBack(job)
                continue
            }
            metrics.waited(since: job.createdAt, tenantID: job.tenantID)
            await running.launch(job.id, tenantID: job.tenantID, token: job.token) {
                Task { await self.execute(job) }
            }
        }
    }

    private func giveBack(_ job: JobStore.Claimed) async {
        await completions.add(
            JobCompletion(
                tenantID: job.tenantID, id: job.id, token: job.token, outcome: .released, result: nil, error: nil,
                retryDelay: .zero))
        await holdings.release(1)
    }

    /// Jobs Redis dispatched that PostgreSQL would not let us claim: finished,
    /// cancelled, already running elsewhere (a duplicate dispatch: the job's one Redis
    /// lease is its holder's too, so it stays, or the reaper would lose sight of the job
    /// if that holder died), or not yet due. A re-armed lease's extra in-flight count
    /// goes at the next maintenance pass's recount.
    private func reconcile(_ skipped: [DispatchedJob]) async throws {
        try await queue.follow(skipped, standings: try await queue.store.states(of: skipped))
    }
}
