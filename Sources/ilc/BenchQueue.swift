import ArgumentParser
import Foundation
import ILCCore
import ILCQueue
import ILCRedis
import ILCStore
import Logging

/// Throughput and latency of the job queue, end to end: real `ilc-worker`
/// processes, the enqueue path the API uses, every job durable as `succeeded`.
struct BenchQueue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Enqueue no-op jobs across tenants, run them on worker processes, report jobs/s and latency.")

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Jobs for the throughput run.")
    var jobs = 200_000

    @Option(help: "Tenants the jobs are spread over.")
    var tenants = 50

    @Option(help: "ilc-worker processes.")
    var workers = 2

    @Option(help: "Concurrency of each worker.")
    var concurrency = 64

    @Option(help: "Jobs per second for the latency run (enqueue to start).")
    var latencyRate = 200

    @Option(help: "Seconds the latency run lasts.")
    var latencySeconds = 5

    @Flag(help: "End with one JSON object on the last line of stdout.")
    var json = false

    func validate() throws {
        guard jobs > 0, tenants > 0, workers > 0, concurrency > 0, latencyRate > 0, latencySeconds >= 0 else {
            throw ValidationError("--jobs, --tenants, --workers, --concurrency and --latency-rate must be positive")
        }
    }

    func run() async throws {
        let databaseConfiguration = try connection.databaseConfiguration()
        let redisConfiguration = try connection.redisConfiguration()
        let logger = connection.logger
        let redis = RedisClient(configuration: redisConfiguration, logger: logger)
        let report: BenchReport
        do {
            report = try await measure(databaseConfiguration: databaseConfiguration, redis: redis, logger: logger)
            await redis.close()
        } catch {
            await redis.close()
            throw error
        }
        print(report.table)
        if json {
            print(report.json)
        }
    }

    private func measure(databaseConfiguration: DatabaseConfiguration, redis: RedisClient, logger: Logger) async throws -> BenchReport {
        try await Database.connectForCommand(configuration: databaseConfiguration, logger: logger) { database in
            let queue = try JobQueues(database: database, redis: redis, logger: logger).queue(for: "noop")
            let run = BenchRun(database: database, queue: queue, logger: logger)
            let tenantIDs = try await run.createTenants(tenants)
            let processes = try BenchWorkers(
                count: workers, concurrency: concurrency, databaseURL: connection.databaseURL, redisURL: connection.redisURL)
            do {
                try await run.warmUp(tenantID: tenantIDs[0])
                let throughput = try await run.throughput(jobs: jobs, tenantIDs: tenantIDs)
                let latency = try await run.latency(rate: latencyRate, seconds: latencySeconds, tenantIDs: tenantIDs)
                await processes.stop()
                try await run.deleteTenants(tenantIDs)
                return BenchReport(
                    jobs: jobs, tenants: tenants, workers: workers, concurrency: concurrency, seconds: throughput.seconds,
                    enqueueSeconds: throughput.enqueueSeconds,
                    latencyJobs: latency.jobs, latencyP50: latency.p50, latencyP99: latency.p99,
                    enqueueP50: latency.enqueueP50)
            } catch {
                await processes.stop()
                try? await run.deleteTenants(tenantIDs)
                throw error
            }
        }
    }
}

struct BenchReport {
    let jobs, tenants, workers, concurrency: Int
    let seconds: Double
    /// Until the last enqueue of the throughput run returned.
    let enqueueSeconds: Double
    let latencyJobs: Int
    let latencyP50, latencyP99: Double
    /// The enqueue call (commit and push) as the caller sees it.
    let enqueueP50: Double

    var jobsPerSecond: Double { Double(jobs) / seconds }

    var table: String {
        TextTable.render(
            header: ["measure", "value"],
            rows: [
                ["jobs", "\(jobs) over \(tenants) tenants, \(workers) workers × \(concurrency)"],
                ["seconds (enqueue → all succeeded)", String(format: "%.2f", seconds)],
                ["seconds (enqueue only)", String(format: "%.2f", enqueueSeconds)],
                ["jobs/s", String(format: "%.0f", jobsPerSecond)],
                ["latency jobs", "\(latencyJobs)"],
                ["enqueue → start p50 (ms)", String(format: "%.2f", latencyP50)],
                ["enqueue → start p99 (ms)", String(format: "%.2f", latencyP99)],
                ["enqueue call p50 (ms)", String(format: "%.2f", enqueueP50)],
            ])
    }

    var json: String {
        let object: [String: Any] = [
            "jobs": jobs, "tenants": tenants, "workers": workers, "concurrency": concurrency,
            "seconds": (seconds * 1000).rounded() / 1000, "enqueue_seconds": (enqueueSeconds * 1000).rounded() / 1000,
            "jobs_per_second": jobsPerSecond.rounded(),
            "latency_jobs": latencyJobs, "latency_p50_ms": (latencyP50 * 100).rounded() / 100,
            "latency_p99_ms": (latencyP99 * 100).rounded() / 100, "enqueue_p50_ms": (enqueueP50 * 100).rounded() / 100,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
