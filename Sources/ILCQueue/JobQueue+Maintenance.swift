import Foundation
import ILCCore
import ILCStore

/// What one maintenance pass did.
public struct MaintenanceReport: Sendable, Equatable {
    /// False when another process held the maintenance lock and this one did nothing.
    public var ranHere = false
    /// Redis had lost the queue (or never had it) and was rebuilt from PostgreSQL.
    public var rebuilt = false
    public var jobsReaped = 0
    public var jobsPushedAgain = 0
    /// This pass checked the whole backlog, not only the jobs created since the last pass.
    public var sweptFully = false
}

extension JobQueue {
    /// Rebuilds Redis if it lost its data, reaps jobs whose lease expired (dead or
    /// stalled workers) and re-pushes queued jobs Redis does not know. Only one process does
    /// this at a time; the others return `ranHere == false`.
    @discardableResult
    public func maintain() async throws -> MaintenanceReport {
        let outcome = try await store.withMaintenanceLock(queue: configuration.name) { transaction -> MaintenanceReport in
            var report = MaintenanceReport(ranHere: true)
            let (_, isNew) = try await index.epoch()
            try await index.applySettings(try await store.tenantSettings())
            report.rebuilt = isNew

            // The sweep's progress is the queue's, not this process's: each worker
            // checking every job itself would multiply the sweeper's reads by the workers.
            let now = try await transaction.query("SELECT now()")[0].decode(Date.self)
            let progress = try await index.sweepProgress()
            let fullSweep = isNew || progress.fullSweepIsDue(at: now, interval: Self.fullSweepInterval)
            report.sweptFully = fullSweep
            var full: FullSweep?
            if fullSweep {
                // From a margin before the oldest job the last full sweep left waiting or
                // running (every older one had finished); from the beginning after a
                // rebuild and once an hour, for a commit later than the margin.
                let resumeFrom = progress.unfinishedSince.map { $0.addingTimeInterval(-Self.lateCommitMargin.timeInterval) }
                let complete = isNew || resumeFrom == nil || progress.completeSweepIsDue(at: now, interval: Self.completeSweepInterval)
                let from = (complete ? nil : resumeFrom) ?? .distantPast
                let (oldest, leases) = try await JobStore.unfinished(queue: configuration.name, createdFrom: from, in: transaction)
                full = FullSweep(from: from, complete: complete, oldestUnfinished: oldest)
                // Leases Redis lost (or, rarely, never got) come back from PostgreSQL.
                try await index.restoreLeases(leases)
                try await forgetDeletedTenants()
            }
            report.jobsReaped = try await reapDueLeases(in: transaction)
            try await index.recountInFlight()
            report.jobsPushedAgain = try await sweep(from: progress, full: full, rebuilt: isNew, now: now, in: transaction)
            return report
        }
        if let outcome, outcome.rebuilt || outcome.jobsReaped > 0 || outcome.jobsPushedAgain > 0 {
            logger.notice(
                "queue maintenance",
                metadata: [
                    "rebuilt": "\(outcome.rebuilt)", "reaped": "\(outcome.jobsReaped)",
                    "pushed_again": "\(outcome.jobsPushedAgain)",
                ])
        }
        return outcome ?? MaintenanceReport()
    }

    /// Drops what Redis remembers of tenants deleted since: their entries would stay for
    /// ever, one per queue. Redis is asked first, so a tenant it names and PostgreSQL no
    /// longer has was deleted (one created in between is simply not looked at yet).
    private func forgetDeletedTenants() async throws {
        let scheduled = try await index.scheduledTenants()
        guard !scheduled.isEmpty else { return }
        try await index.forget(scheduled.subtracting(try await store.existingTenants(among: scheduled)))
    }

    static let fullSweepInterval = Duration.seconds(300)
    /// How often a full sweep reads the queue's whole history, not only from the oldest
    /// unfinished job on.
    static let completeSweepInterval = Duration.seconds(3600)
    /// How far before the oldest unfinished job a full sweep starts: a job committed up to
    /// this long after its creation time is found by the next full sweep, a later one by
    /// the next complete sweep.
    static let lateCommitMargin = Duration.seconds(300)
    /// How late a job may commit after its creation time and still be found by the
    /// incremental sweep; later ones wait for the next full sweep.
    static let commitSlack = Duration.seconds(5)

    /// How far before the last pass's end an incremental sweep looks again: jobs are
    /// swept only once `sweepAge` old, which already covers that much of the slack, so
    /// a queue with the default age reads each job once rather than twice.
    var sweepOverlap: Duration {
        max(.zero, Self.commitSlack - configuration.sweepAge)
    }

    /// Asks PostgreSQL about the jobs whose Redis lease fell due and makes Redis
    /// follow: expired leases are reaped and the jobs wait again (or end, out of
    /// attempts); leases a heartbeat extended get their new deadline; jobs no longer
    /// running lose their lease. Returns how many were reaped.
    private func reapDueLeases(in transaction: Transaction) async throws -> Int {
        let due = try await index.leasesDue(limit: 10_000)
        guard !due.isEmpty else { return 0 }
        let reaped = try await JobStore.reap(due, in: transaction)
        // Read on another connection: the reaped rows are not committed yet, so their
        // new state comes from the reap itself.
        var standings = try await store.states(of: due)
        for job in reaped {
            if let state = JobState(rawValue: job.state) {
                standings[job.id] = JobStanding(state: state, priority: job.priority, runAt: job.runAt, leaseExpiresAt: nil)
            }
        }
        try await follow(due, standings: standings)
        return reaped.count
    }

    /// Makes Redis follow PostgreSQL for dispatched jobs: queued ones wait again, running
    /// (or canceling) ones keep their lease with PostgreSQL's deadline — it may be another
    /// worker's — and the rest (ended, gone) lose theirs.
    func follow(_ jobs: [DispatchedJob], standings: [UUID: JobStanding]) async throws {
        var waitAgain: [SettledJob] = []
        var held: [(job: DispatchedJob, deadline: Date)] = []
        var ended: [DispatchedJob] = []
        for job in jobs {
            switch standings[job.id] {
            case let standing? where standing.state == .queued:
                waitAgain.append(
                    SettledJob(
                        tenantID: job.tenantID, id: job.id, state: standing.state.rawValue, priority: standing.priority,
                        runAt: standing.runAt))
            case let standing? where standing.state == .running || standing.state == .canceling:
                held.append((job, standing.leaseExpiresAt ?? Date()))
            default:
                ended.append(job)
            }
        }
        try await index.requeue(waitAgain)
        try await index.rearm(held)
        try await index.finish(ended)
    }

    /// Pushes queued jobs Redis does not know about and records how far it checked.
    /// After a rebuild every queued job goes back, whatever its age. Otherwise a pass
    /// checks the jobs created since the last pass checked (a push lost right after a
    /// commit) and, now and then (`full`), the backlog from its oldest unfinished job:
    /// checking a large backlog on every pass would cost more than its jobs.
    private func sweep(
        from progress: SweepProgress, full: FullSweep?, rebuilt: Bool, now: Date, in transaction: Transaction
    ) async throws -> Int {
        let until = rebuilt ? now : now.addingTimeInterval(-configuration.sweepAge.timeInterval)
        let from = full?.from ?? (progress.checkedUntil ?? .distantPast).addingTimeInterval(-sweepOverlap.timeInterval)
        var cursor: (Date, UUID)?
        var pushed = 0
        while true {
            let chunk = try await JobStore.queued(
                queue: configuration.name, createdFrom: from, until: until, after: cursor, limit: 2_000, in: transaction)
            guard let last = chunk.last else { break }
            cursor = (last.createdAt, last.job.id)
            let known = try await index.known(chunk.map(\.job))
            let missing = chunk.map(\.job).filter { !known.contains($0.id) }
            pushed += try await index.push(missing)
            if chunk.count < 2_000 { break }
        }
        var recorded = progress
        recorded.checkedUntil = until
        if let full {
            recorded.unfinishedSince = full.oldestUnfinished
            recorded.lastFullSweep = now
            if full.complete { recorded.lastCompleteSweep = now }
        }
        try await index.recordSweep(recorded)
        return pushed
    }
}

/// How far the sweeper of a queue has got, whichever worker swept (kept with the
/// queue in Redis; a Redis that lost it lost the queue too, and is swept fully).
struct SweepProgress: Sendable, Equatable {
    /// Every queued job created before this was checked (nil: none yet).
    var checkedUntil: Date?
    /// When the backlog was last checked, by the database's clock (nil: never).
    var lastFullSweep: Date?
    /// No job created before this was waiting or running at the last full sweep (nil:
    /// unknown), so the next one may start there.
    var unfinishedSince: Date?
    /// When the queue's whole history was last checked (nil: never).
    var lastCompleteSweep: Date?

    func fullSweepIsDue(at now: Date, interval: Duration) -> Bool {
        Self.isDue(last: checkedUntil == nil ? nil : lastFullSweep, at: now, interval: interval)
    }

    func completeSweepIsDue(at now: Date, interval: Duration) -> Bool {
        Self.isDue(last: unfinishedSince == nil ? nil : lastCompleteSweep, at: now, interval: interval)
    }

    private static func isDue(last: Date?, at now: Date, interval: Duration) -> Bool {
        guard let last else { return true }
        return now.timeIntervalSince(last) >= interval.timeInterval
    }
}

/// Where a full sweep starts, whether that is the queue's beginning, and the oldest job
/// it found waiting or running (the next full sweep's start, less a margin).
struct FullSweep: Sendable {
    let from: Date
    let complete: Bool
    let oldestUnfinished: Date
}
