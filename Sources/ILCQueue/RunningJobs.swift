import Foundation

/// Why a running handler was told to stop.
enum StopReason: Sendable {
    /// The partner cancelled the job.
    case canceled
    /// Another run owns the job now; this one's outcome would be refused.
    case leaseLost
    /// The worker is shutting down and the grace period ran out.
    case shutdown
}

/// The jobs this worker is running: their lease tokens for heartbeats, their tasks
/// for cancellation, and a way to wait for them all to end.
actor RunningJobs {
    struct Entry {
        let tenantID: UUID
        let token: UUID
        let task: Task<Void, Never>
        var stopReason: StopReason?
    }

    private var entries: [UUID: Entry] = [:]
    private var emptyWaiters: [CheckedContinuation<Void, Never>] = []

    var count: Int { entries.count }

    /// Registers the job and starts its task in one step on this actor, so the task's
    /// own `finish` (however quick the job) always comes after the registration.
    func launch(_ id: UUID, tenantID: UUID, token: UUID, _ makeTask: () -> Task<Void, Never>) {
        entries[id] = Entry(tenantID: tenantID, token: token, task: makeTask())
    }

    /// Forgets a run that ended and says why it was stopped, if it was.
    func finish(_ id: UUID) -> StopReason? {
        let reason = entries.removeValue(forKey: id)?.stopReason
        if entries.isEmpty {
            releaseWaiters()
        }
        return reason
    }

    func leases() -> [(tenantID: UUID, id: UUID, token: UUID)] {
        entries.map { (id, entry) in (entry.tenantID, id, entry.token) }
    }

    /// Cancels the job's task and remembers why, so its outcome is written right.
    func stop(_ id: UUID, reason: StopReason) {
        guard var entry = entries[id], entry.stopReason == nil else { return }
        entry.stopReason = reason
        entries[id] = entry
        entry.task.cancel()
    }

    func stopAll(reason: StopReason) {
        for id in entries.keys { stop(id, reason: reason) }
    }

    func stopReason(of id: UUID) -> StopReason? {
        entries[id]?.stopReason
    }

    /// Returns when no job runs, or after `timeout`; true when none runs.
    func waitUntilEmpty(timeout: Duration) async -> Bool {
        if entries.isEmpty { return true }
        let deadline = ContinuousClock.now + timeout
        let timer = Task { [weak self] in
            try? await Task.sleep(until: deadline)
            await self?.releaseWaiters()
        }
        await withCheckedContinuation { emptyWaiters.append($0) }
        timer.cancel()
        return entries.isEmpty
    }

    private func releaseWaiters() {
        for waiter in emptyWaiters { waiter.resume() }
        emptyWaiters.removeAll()
    }
}
