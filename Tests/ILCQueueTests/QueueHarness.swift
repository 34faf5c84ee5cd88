import Foundation
import ILCCore
import ILCRedis
import ILCStore
import ILCTestSupport
import Logging
import Testing

@testable import ILCQueue

/// A queue of its own for one test (its own name, so its own Redis keys and jobs
/// rows), on the shared PostgreSQL and Redis unless the test brings a Redis.
struct QueueHarness {
    let database: Database
    let redis: RedisClient
    let queue: JobQueue

    static func make(
        redis: RedisClient? = nil, _ adjust: (inout QueueConfiguration) -> Void = { _ in }
    ) async throws -> QueueHarness {
        var configuration = QueueConfiguration(
            name: "test-\(UUID().uuidString.prefix(8).lowercased())", leaseDuration: .seconds(3),
            heartbeatInterval: .milliseconds(300), retryBase: .milliseconds(10), retryCap: .milliseconds(50),
            maintenanceInterval: .milliseconds(200), sweepAge: .seconds(1), idleWait: .milliseconds(250))
        // Tests fetch right after enqueuing: on a loaded machine (CI, every suite at once)
        // enqueue must not move on before its push to Redis landed.
        configuration.dispatchPatience = .seconds(30)
        adjust(&configuration)
        let database = try await TestDatabase.sharedApp.value
        let client = try redis ?? RedisClient(configuration: RedisConfiguration.fromEnvironment("ILC_REDIS_URL"))
        let queue = try JobQueue(configuration: configuration, database: database, redis: client, logger: TestDatabase.logger)
        return QueueHarness(database: database, redis: client, queue: queue)
    }

    func makeTenant() async throws -> UUID {
        try await TestDatabase.makeTenant(database).id
    }

    func worker(_ handlers: [any JobHandler], concurrency: Int = 4, grace: Duration = .seconds(10)) -> Worker {
        Worker(
            id: "test-worker-\(UUID().uuidString.prefix(6))", queue: queue, redis: redis, handlers: handlers,
            concurrency: concurrency, shutdownGrace: grace, logger: TestDatabase.logger)
    }

    /// Runs `worker` while `body` runs, then shuts it down gracefully.
    func running<Result: Sendable>(_ worker: Worker, _ body: () async throws -> Result) async throws -> Result {
        let task = Task { await worker.run() }
        do {
            let result = try await body()
            task.cancel()
            await task.value
            return result
        } catch {
            task.cancel()
            await task.value
            throw error
        }
    }

    func enqueue(_ count: Int, tenant: UUID, type: String = "record", _ adjust: (Int, inout JobRequest) -> Void = { _, _ in })
        async throws -> [EnqueuedJob]
    {
        let requests = (0..<count).map { index in
            var request = JobRequest(type: type, payload: #"{"index":\#(index)}"#)
            adjust(index, &request)
            return request
        }
        return try await queue.enqueue(requests, tenantID: tenant)
    }

    func record(_ job: EnqueuedJob) async throws -> JobRecord {
        try #require(try await queue.job(tenantID: job.tenantID, id: job.id))
    }

    /// Polls until every job is in `state` (tests assert behaviour, not speed: the
    /// timeout only keeps a broken queue from hanging the suite).
    func waitUntil(
        _ jobs: [EnqueuedJob], are state: JobState, timeout: Duration = .seconds(60),
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        var remaining = jobs
        while !remaining.isEmpty {
            let states = try await database.withQueueTransaction { transaction in
                try await transaction.query(
                    "SELECT id, state FROM jobs WHERE id = ANY(\(remaining.map(\.id))::uuid[])"
                ).map { try $0.decode((UUID, String).self) }
            }
            let done = Set(states.filter { $0.1 == state.rawValue }.map(\.0))
            remaining.removeAll { done.contains($0.id) }
            if remaining.isEmpty { return }
            guard ContinuousClock.now < deadline else {
                Issue.record("\(remaining.count) of \(jobs.count) jobs never became \(state)", sourceLocation: sourceLocation)
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
