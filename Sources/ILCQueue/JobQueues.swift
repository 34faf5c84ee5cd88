import Foundation
import ILCCore
import ILCRedis
import ILCStore
import Logging
import Synchronization

/// One queue per job type, so a slow type (reports) never holds up a quick one
/// (webhooks), and a worker can serve just the types it is given. Enqueuers and
/// workers reach a type's queue through this, so both agree on where it lives.
public final class JobQueues: Sendable {
    public let template: QueueConfiguration
    let database: Database
    let redis: RedisClient
    let logger: Logger
    private let queues = Mutex<[String: JobQueue]>([:])

    /// `template` supplies every setting but the name, which is the job type.
    public init(template: QueueConfiguration = QueueConfiguration(), database: Database, redis: RedisClient, logger: Logger) {
        self.template = template
        self.database = database
        self.redis = redis
        self.logger = logger
    }

    /// The job as its tenant sees it, whatever its type, or nil (also for another
    /// tenant's job).
    public func job(tenantID: UUID, id: UUID) async throws -> JobRecord? {
        try await JobStore(database: database).find(tenantID: tenantID, jobID: id)
    }

    /// One page of the tenant's jobs, newest first, strictly before `cursor` (a job id).
    public func jobs(tenantID: UUID, filter: JobFilter, before cursor: UUID?, limit: Int) async throws -> [JobRecord] {
        try await JobStore(database: database).list(tenantID: tenantID, filter: filter, before: cursor, limit: limit)
    }

    /// Cancels a job of any type (see `JobQueue.cancel`).
    public func cancel(tenantID: UUID, id: UUID) async throws -> JobState? {
        try await JobStore(database: database).cancel(tenantID: tenantID, jobID: id)
    }

    /// The type's queue, made on first use from the template and `tune` (later calls'
    /// `tune` is not applied again).
    public func queue(for type: String, tuned tune: (inout QueueConfiguration) -> Void = { _ in }) throws -> JobQueue {
        if let existing = queues.withLock({ $0[type] }) {
            return existing
        }
        var configuration = template
        configuration.name = type
        tune(&configuration)
        let queue = try JobQueue(configuration: configuration, database: database, redis: redis, logger: logger)
        return queues.withLock { queues in
            if let raced = queues[type] { return raced }
            queues[type] = queue
            return queue
        }
    }
}
