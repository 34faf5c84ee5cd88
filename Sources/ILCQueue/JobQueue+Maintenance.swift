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

            // After a rebuild every queued job goes back, whatever its age. Otherwise a
            // pass checks recent jobs (a push lost right after a commit) and, now and
            // then, the whole backlog; checking a large backlog every pass would cost
            // more than the jobs themselves.
            let fullSweep = isNew || lastFullSweep.withLock { last in
                guard let previous = last, previous.duration(to: .now) < Self.fullSweepInterval else {
                    last = .now
                    return true
                }
                return false
            }
            report.jobsPushedAgain = try await sweep(
                olderThan: isNew ? nil : configuration.sweepAge, window: fullSweep ? nil : Self.recentWindow + configuration.sweepAge,
                in: transaction)
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
    static let recentWindow = Duration.seconds(120)

    private func sweep(olderThan age: Duration?, window: Duration?, in transaction: Transaction) async throws -> Int {
        var cursor: (Date, UUID)?
        var pushed = 0
        while true {
            let chunk = try await JobStore.queued(
                queue: configuration.name, olderThan: age, newerThan: window, after: cursor, limit: 2_000, in: transaction)
            guard let last = chunk.last else { break }
            cursor = (last.createdAt, last.job.id)
            let known = try await index.known(chunk.map(\.job))
            let missing = chunk.map(\.job).filter { !known.contains($0.id) }
            pushed += try await index.push(missing)
            if chunk.count < 2_000 { break }
        }
        return pushed
    }
}
