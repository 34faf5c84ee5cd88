/// How one queue behaves. The defaults suit production; tests shorten the times.
public struct QueueConfiguration: Sendable {
    /// The `jobs.queue` value and the Redis key prefix (`{ilc:<name>}:…`, one hash
    /// tag per queue): lowercase letters, digits and hyphens.
    public var name: String
    /// How long a claimed job stays a worker's without a heartbeat.
    public var leaseDuration: Duration
    /// How often workers extend their leases; well below `leaseDuration`.
    public var heartbeatInterval: Duration
    /// Retry delay: exponential from `retryBase`, capped at `retryCap`, full jitter.
    public var retryBase: Duration
    public var retryCap: Duration
    /// How often one process (whichever holds the lock) reaps and sweeps.
    public var maintenanceInterval: Duration
    /// Queued jobs older than this that Redis does not know are pushed again.
    public var sweepAge: Duration
    /// Most jobs one fetch takes.
    public var fetchBatch: Int
    /// Most jobs a worker claims ahead of its free handler slots, and only while its
    /// handlers average under `quickRun`: then the claim round trip, not the work,
    /// would bound throughput. Jobs claimed ahead and not started within half a lease
    /// are given back.
    public var prefetch: Int
    public var quickRun: Duration
    /// How long an idle worker blocks on Redis before looking again.
    public var idleWait: Duration
    /// How long a busy worker may wait for half of its slots to free up before
    /// fetching, so quick jobs are fetched and claimed in batches.
    public var fetchLinger: Duration
    /// How long enqueuing waits for Redis to take the new jobs. Past it the caller goes
    /// on (the jobs are committed) while the push finishes by itself, or fails and the
    /// sweeper dispatches them: a hung Redis must not hold up every write that starts a
    /// job for its whole command timeout.
    public var dispatchPatience: Duration
    /// How many times a job may be put back uncharged because the database went out of
    /// reach while it ran; after that such a run counts as an attempt. Each put-back
    /// waits longer (the retry backoff), so the limit spans hours of outages, while a
    /// job whose own work takes the database down cannot loop forever.
    public var outagePutBackLimit: Int

    public init(
        name: String = "default", leaseDuration: Duration = .seconds(30), heartbeatInterval: Duration = .seconds(10),
        retryBase: Duration = .seconds(1), retryCap: Duration = .seconds(600), maintenanceInterval: Duration = .seconds(5),
        sweepAge: Duration = .seconds(10), fetchBatch: Int = 256, prefetch: Int = 256, quickRun: Duration = .milliseconds(5), idleWait: Duration = .seconds(1),
        fetchLinger: Duration = .milliseconds(2), dispatchPatience: Duration = .seconds(1), outagePutBackLimit: Int = 10
    ) {
        self.name = name
        self.leaseDuration = leaseDuration
        self.heartbeatInterval = heartbeatInterval
        self.retryBase = retryBase
        self.retryCap = retryCap
        self.maintenanceInterval = maintenanceInterval
        self.sweepAge = sweepAge
        self.fetchBatch = fetchBatch
        self.prefetch = max(0, prefetch)
        self.quickRun = quickRun
        self.idleWait = idleWait
        self.fetchLinger = fetchLinger
        self.dispatchPatience = dispatchPatience
        self.outagePutBackLimit = max(0, outagePutBackLimit)
    }

    var redisPrefix: String { "{ilc:\(name)}" }

    /// The delays between retries (and between put-backs) of this queue's jobs.
    var retryBackoff: Backoff { Backoff(base: retryBase, cap: retryCap) }
}
