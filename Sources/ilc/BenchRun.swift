import Foundation
import ILCCore
import ILCQueue
import ILCStore
import Logging

/// The phases of `ilc bench queue`, against one `noop` queue.
struct BenchRun: Sendable {
    let database: Database
    let queue: JobQueue
    let logger: Logger

    func createTenants(_ count: Int) async throws -> [UUID] {
        let run = UUID().uuidString.prefix(6).lowercased()
        let store = TenantStore(database: database)
        var ids: [UUID] = []
        for index in 0..<count {
            let slug = try TenantSlug("bench-\(run)-\(index)")
            ids.append(try await store.create(slug: slug, name: "Benchmark tenant \(index)", kind: .consortium).id)
        }
        return ids
    }

    /// Removes the benchmark's tenants and, by cascade, its jobs.
    func deleteTenants(_ ids: [UUID]) async throws {
        try await database.withOperatorTransaction { transaction in
            try await transaction.execute("DELETE FROM tenants WHERE id = ANY(\(ids)::uuid[])")
        }
        // Jobs carry no foreign key to their tenant (see Schema/0001): delete them too.
        try await database.withQueueTransaction { transaction in
            try await transaction.execute("DELETE FROM jobs WHERE tenant_id = ANY(\(ids)::uuid[])")
        }
    }

    /// Jobs through every worker's path, so start-up is not measured.
    func warmUp(tenantID: UUID) async throws {
        let jobs = try await queue.enqueue(Array(repeating: JobRequest(type: "noop"), count: 64), tenantID: tenantID)
        try await waitUntilFinished(jobs.count, tenantIDs: [tenantID], label: nil)
    }

    /// Seconds from the first enqueue until every job is `succeeded` in PostgreSQL,
    /// and until the last enqueue returned (a run bound by its enqueuers shows here).
    func throughput(jobs: Int, tenantIDs: [UUID]) async throws -> (seconds: Double, enqueueSeconds: Double) {
        let started = ContinuousClock.now
        let batch = 1_000
        let batches = (jobs + batch - 1) / batch
        // A few enqueuers at once, as several API processes would.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for lane in 0..<4 {
                group.addTask {
                    for index in stride(from: lane, to: batches, by: 4) {
                        let size = min(batch, jobs - index * batch)
                        let tenant = tenantIDs[index % tenantIDs.count]
                        _ = try await queue.enqueue(Array(repeating: JobRequest(type: "noop"), count: size), tenantID: tenant)
                    }
                }
            }
            try await group.waitForAll()
        }
        let enqueued = started.duration(to: .now)
        try await waitUntilFinished(jobs, tenantIDs: tenantIDs, label: "throughput")
        return (Self.seconds(started.duration(to: .now)), Self.seconds(enqueued))
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Enqueues one job at a time at `rate` per second; returns p50 and p99 of
    /// enqueue → start, both read from PostgreSQL's clock.
    /// Also returns the median time of the enqueue call itself (commit and push), the
    /// part of the latency the caller waits for.
    func latency(
        rate: Int, seconds: Int, tenantIDs: [UUID]
    ) async throws -> (jobs: Int, p50: Double, p99: Double, enqueueP50: Double) {
        let count = rate * seconds
        guard count > 0 else { return (0, 0, 0, 0) }
        let interval = Duration.seconds(1) / rate
        let clock = ContinuousClock()
        var next = clock.now
        var ids: [UUID] = []
        var enqueueTimes: [Double] = []
        for index in 0..<count {
            try await clock.sleep(until: next)
            next += interval
            let started = clock.now
            ids.append(try await queue.enqueue(JobRequest(type: "noop"), tenantID: tenantIDs[index % tenantIDs.count]).id)
            let elapsed = started.duration(to: clock.now)
            enqueueTimes.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
        }
        let enqueueP50 = enqueueTimes.sorted()[enqueueTimes.count / 2]
        try await waitUntilFinished(count, tenantIDs: tenantIDs, label: "latency")
        return try await database.withQueueTransaction { transaction in
            let rows = try await transaction.query(
                """
                SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)
                FROM (SELECT extract(epoch FROM started_at - created_at) * 1000 AS ms
                      FROM jobs WHERE id = ANY(\(ids)::uuid[])) AS waits
                """)
            let (p50, p99) = try rows[0].decode((Double, Double).self)
            return (count, p50, p99, enqueueP50)
        }
    }


    /// Waits until every job of the tenants is `succeeded` in PostgreSQL. The cheap
    /// count (jobs waiting in Redis) is polled, so the wait costs the database nothing
    /// it measures; the exact one runs only once nothing waits.
    func waitUntilFinished(_ total: Int, tenantIDs: [UUID], label: String?) async throws {
        var last = -1
        var unchangedSince = ContinuousClock.now
        while true {
            var left = try await queue.waitingCount(tenants: Set(tenantIDs))
            if left == 0 {
                left = try await notSucceededCount(tenantIDs)
                if left == 0 { break }
            }
            if let label {
                let done = max(0, total - left)
                let width = 30
                let filled = total > 0 ? min(width, done * width / total) : width
                let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
                FileHandle.standardError.write(Data("\r\(label) \(bar) \(done)/\(total)".utf8))
            }
            if left != last {
                last = left
                unchangedSince = ContinuousClock.now
            } else if unchangedSince.duration(to: .now) > .seconds(120) {
                throw BenchStalled(done: total - left, target: total)
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        if let label {
            let bar = String(repeating: "█", count: 30)
            FileHandle.standardError.write(Data("\r\(label) \(bar) \(total)/\(total)\n".utf8))
        }
    }

    private func notSucceededCount(_ tenantIDs: [UUID]) async throws -> Int {
        try await database.withQueueTransaction { transaction in
            try await transaction.query(
                "SELECT count(*) FROM jobs WHERE tenant_id = ANY(\(tenantIDs)::uuid[]) AND state <> 'succeeded'")[0]
                .decode(Int.self)
        }
    }
}

struct BenchStalled: Error, CustomStringConvertible {
    let done: Int
    let target: Int

    var description: String {
        "\(done) of \(target) jobs succeeded: the rest failed or made no progress for 2 minutes (see the workers' log above)"
    }
}
