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
}

extension JobQueue {
    /// Rebuilds Redis if it lost its data, frees expired leases, reaps jobs of dead
    /// workers and re-pushes queued jobs Redis does not know. Only one process does
    /// this at a time; the others return `ranHere == false`.
    @discardableResult
    public func maintain() async throws -> MaintenanceReport {
        let outcome = try await store.withMaintenanceLock(queue: configuration.name) { transaction -> MaintenanceReport in
            var report = MaintenanceReport(ranHere: true)
            let (_, isNew) = try await index.epoch()
            try await index.applySettings(try await store.tenantSettings())
            report.rebuilt = isNew

            let reaped = try await JobStore.reap(queue: configuration.name, limit: 10_000, in: transaction)
            report.jobsReaped = reaped.count
            try await index.push(reaped.filter { $0.state == JobState.queued.rawValue })
            // Dead workers never gave their slots back: count again from PostgreSQL.
            try await index.resetInFlight(try await JobStore.inFlight(queue: configuration.name, in: transaction))

            report.jobsPushedAgain = try await sweep(rebuilt: isNew, in: transaction)
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

    static let fullSweepInterval = Duration.seconds(300)
    /// How late a job may commit after its creation time and still be found by the
    /// incremental sweep; later ones wait for the next full sweep.
    static let commitSlack = Duration.seconds(5)

    /// Pushes queued jobs Redis does not know about. After a rebuild every queued job
    /// goes back, whatever its age. Otherwise a pass checks the jobs created since the
    /// last pass checked (a push lost right after a commit) and, now and then, the whole
    /// backlog: checking a large backlog on every pass would cost more than its jobs.
    private func sweep(rebuilt: Bool, in transaction: Transaction) async throws -> Int {
        let now = try await transaction.query("SELECT now()")[0].decode(Date.self)
        let until = rebuilt ? now : now.addingTimeInterval(-configuration.sweepAge.timeInterval)
        let from = sweepProgress.withLock { progress -> Date in
            let now = ContinuousClock.now
            if rebuilt || progress.checkedUntil == nil || progress.lastFullSweep.map({ $0.duration(to: now) >= Self.fullSweepInterval }) ?? true {
                progress.lastFullSweep = now
                return .distantPast
            }
            return (progress.checkedUntil ?? .distantPast).addingTimeInterval(-Self.commitSlack.timeInterval)
        }
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
        sweepProgress.withLock { $0.checkedUntil = until }
        return pushed
    }
}

/// How far one process's sweeper has got.
struct SweepProgress: Sendable {
    var lastFullSweep: ContinuousClock.Instant?
    var checkedUntil: Date?
}
