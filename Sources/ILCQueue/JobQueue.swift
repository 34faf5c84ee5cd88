import Foundation
import ILCCore
import ILCRedis
import ILCStore
import Logging

/// The queue as the API and operators use it: enqueue with a domain write, poll,
/// cancel. Workers run jobs with `Worker`.
public final class JobQueue: Sendable {
    public let configuration: QueueConfiguration
    let database: Database
    let store: JobStore
    let index: DispatchIndex
    let logger: Logger

    public init(configuration: QueueConfiguration, database: Database, redis: RedisClient, logger: Logger) throws {
        self.configuration = configuration
        self.database = database
        self.store = JobStore(database: database)
        self.index = try DispatchIndex(redis: redis, configuration: configuration)
        self.logger = logger
    }

    /// Inserts jobs inside the caller's tenant transaction, so they exist if and only
    /// if the caller's other writes commit. Call `dispatch` with the result after the
    /// commit.
    public func enqueue(_ requests: [JobRequest], tenantID: UUID, in transaction: Transaction) async throws -> [EnqueuedJob] {
        try requests.forEach { try $0.validate() }
        return try await JobStore.insert(requests, queue: configuration.name, tenantID: tenantID, in: transaction)
    }

    /// Enqueues on its own (one round trip, committed) and dispatches.
    public func enqueue(_ requests: [JobRequest], tenantID: UUID) async throws -> [EnqueuedJob] {
        try requests.forEach { try $0.validate() }
        let jobs = try await store.insertStandalone(requests, queue: configuration.name, tenantID: tenantID)
        await dispatch(jobs)
        return jobs
    }

    public func enqueue(_ request: JobRequest, tenantID: UUID) async throws -> EnqueuedJob {
        let jobs = try await enqueue([request], tenantID: tenantID)
        guard let job = jobs.first else {
            throw StoreError.conflict("the job was not enqueued")
        }
        return job
    }

    /// Tells Redis about committed jobs, waiting at most `dispatchPatience`. Never
    /// throws: if Redis is away or slow the jobs are still safe in PostgreSQL, and the
    /// push goes on by itself or the sweeper dispatches them later.
    public func dispatch(_ jobs: [EnqueuedJob]) async {
        let fresh = jobs.filter(\.created).map {
            SettledJob(tenantID: $0.tenantID, id: $0.id, state: JobState.queued.rawValue, priority: $0.priority, runAt: $0.runAt)
        }
        guard !fresh.isEmpty else { return }
        let pushed: Void? = await TimeBox.value(within: configuration.dispatchPatience) { [index, logger] in
            do {
                try await index.push(fresh)
            } catch {
                logger.warning(
                    "could not dispatch jobs; the sweeper will", metadata: ["jobs": "\(fresh.count)", "error": "\(error)"])
            }
        }
        if pushed == nil {
            logger.warning(
                "Redis is slow to take new jobs; going on without waiting",
                metadata: ["jobs": "\(fresh.count)", "waited": "\(configuration.dispatchPatience)"])
        }
    }

    /// Tells Redis about jobs the database added itself (its functions and triggers
    /// add them at now, priority 0).
    public func dispatch(_ added: [AddedJob]) async {
        await dispatch(added.map { EnqueuedJob(tenantID: $0.tenantID, id: $0.id, priority: 0, runAt: Date(), created: true) })
    }

    /// The job as its tenant sees it, or nil (also for another tenant's job).
    public func job(tenantID: UUID, id: UUID) async throws -> JobRecord? {
        try await store.find(tenantID: tenantID, jobID: id)
    }

    /// Cancels a queued job at once; a running one is asked to stop and ends
    /// `canceled` when it does. Returns the state after the request (nil: no such job).
    public func cancel(tenantID: UUID, id: UUID) async throws -> JobState? {
        try await store.cancel(tenantID: tenantID, jobID: id)
    }
}
