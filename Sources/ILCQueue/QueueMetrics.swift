import Foundation
import Metrics
import Synchronization

/// The queue's measurements, through swift-metrics: whichever backend the process
/// bootstraps (Prometheus in `ilc-worker`) exports them.
final class QueueMetrics: Sendable {
    let queue: String
    private let reportedTenants = Mutex<Set<String>>([])
    // Made once: looking a metric up by label and dimensions costs more than recording.
    private let claimedJobs: Counter
    /// Per tenant, so a dashboard shows whether small tenants wait behind big ones.
    private let waitTimes = Mutex<[UUID: Timer]>([:])
    private let runTime: Timer
    private let expiredLeases: Counter
    private let rebuilds: Counter
    private let pushedAgain: Counter
    private let finishedJobs: [JobOutcome: Counter]

    init(queue: String) {
        self.queue = queue
        claimedJobs = Counter(label: "ilc_jobs_claimed_total", dimensions: [("queue", queue)])
        runTime = Timer(label: "ilc_job_run_seconds", dimensions: [("queue", queue)])
        expiredLeases = Counter(label: "ilc_leases_expired_total", dimensions: [("queue", queue)])
        rebuilds = Counter(label: "ilc_redis_rebuilds_total", dimensions: [("queue", queue)])
        pushedAgain = Counter(label: "ilc_jobs_pushed_again_total", dimensions: [("queue", queue)])
        let outcomes: [JobOutcome] = [.succeeded, .retry, .failed, .canceled, .released, .putBack]
        finishedJobs = Dictionary(uniqueKeysWithValues: outcomes.map { outcome in
            (outcome, Counter(label: "ilc_jobs_finished_total", dimensions: [("queue", queue), ("outcome", outcome.rawValue)]))
        })
    }

    func claimed(_ count: Int) {
        claimedJobs.increment(by: count)
    }

    /// Enqueue to start.
    func waited(since createdAt: Date, tenantID: UUID) {
        let timer = waitTimes.withLock { timers in
            if let timer = timers[tenantID] { return timer }
            let timer = Timer(
                label: "ilc_job_wait_seconds", dimensions: [("queue", queue), ("tenant", tenantID.uuidString.lowercased())])
            timers[tenantID] = timer
            return timer
        }
        timer.recordNanoseconds(Int64(max(0, Date().timeIntervalSince(createdAt)) * 1e9))
    }

    func finished(outcome: JobOutcome, runTime duration: Duration) {
        finishedJobs[outcome]?.increment()
        let (seconds, attoseconds) = duration.components
        runTime.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// What a maintenance pass found: leases that expired (crashed or stalled workers),
    /// a Redis that had lost the queue, queued jobs Redis did not know.
    func maintained(_ report: MaintenanceReport) {
        if report.jobsReaped > 0 { expiredLeases.increment(by: report.jobsReaped) }
        if report.rebuilt { rebuilds.increment() }
        if report.jobsPushedAgain > 0 { pushedAgain.increment(by: report.jobsPushedAgain) }
    }

    /// Ready and in-flight jobs per tenant. Tenants that emptied since the last report
    /// drop to zero instead of keeping their old value.
    func depth(_ tenants: [(tenantID: UUID, ready: Int, inFlight: Int)]) {
        let current = Set(tenants.map { $0.tenantID.uuidString.lowercased() })
        let gone = reportedTenants.withLock { reported in
            defer { reported = current }
            return reported.subtracting(current)
        }
        for tenant in gone {
            setDepth(tenant: tenant, ready: 0, inFlight: 0)
        }
        for entry in tenants {
            setDepth(tenant: entry.tenantID.uuidString.lowercased(), ready: entry.ready, inFlight: entry.inFlight)
        }
    }

    private func setDepth(tenant: String, ready: Int, inFlight: Int) {
        Gauge(label: "ilc_queue_ready_jobs", dimensions: [("queue", queue), ("tenant", tenant)]).record(ready)
        Gauge(label: "ilc_queue_in_flight_jobs", dimensions: [("queue", queue), ("tenant", tenant)]).record(inFlight)
    }
}
