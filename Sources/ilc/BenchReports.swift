import ArgumentParser
import Foundation
import ILCQueue
import ILCRedis
import ILCReports
import ILCStore
import Logging

/// Report figures: rendering one collective's report with many pieces of evidence in
/// each format (no database), then a cycle's worth of collective reports made by real
/// `ilc-worker` processes from seeded data, start to last stored report.
struct BenchReports: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reports",
        abstract: "Time report rendering, and a cycle's collective reports through real workers; prints the figures.")

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Pieces of evidence in the single rendered report.")
    var evidence = 5_000

    @Option(help: "Collectives (one report each) for the workers' run; 0 skips it.")
    var collectives = 1_000

    @Option(help: "Pieces of evidence per collective in the workers' run.")
    var evidencePerCollective = 24

    @Option(help: "ilc-worker processes.")
    var workers = 2

    @Option(help: "Report format for the workers' run: html, csv or json.")
    var format = "html"

    func validate() throws {
        guard evidence >= 0, collectives >= 0, evidencePerCollective >= 0, workers > 0 else {
            throw ValidationError("counts must not be negative and --workers must be positive")
        }
        guard ReportFormat(rawValue: format) != nil else { throw ValidationError("--format must be html, csv or json") }
    }

    func run() async throws {
        var rows = try renderRows()
        if collectives > 0 {
            let seconds = try await workersRun()
            rows.append([
                "\(collectives) collective reports (\(format), \(evidencePerCollective) evidence each), \(workers) workers",
                String(format: "%.2f s", seconds), String(format: "%.0f reports/s", Double(collectives) / seconds), "≤ 30 s",
            ])
        }
        print(TextTable.render(header: ["measure", "time", "rate", "target"], rows: rows))
    }

    /// The best of three renders per format, after one to warm up.
    private func renderRows() throws -> [[String]] {
        let renderer = try ReportRenderer()
        let report = SampleReports.collective(evidence: evidence)
        return try ReportFormat.allCases.map { format in
            var best = Duration.seconds(1_000)
            var size = 0
            for attempt in 0..<4 {
                let started = ContinuousClock.now
                let document = report.document(generatedAt: "2026-11-29T12:00:00Z", suppressionThreshold: 10)
                size = try renderer.render(document, as: format).count
                if attempt > 0 { best = min(best, started.duration(to: .now)) }
            }
            return [
                "collective report, \(evidence) evidence, \(format.rawValue) (\(size / 1024) KiB)",
                String(format: "%.3f s", best.timeInterval), "", format == .html ? "≤ 1 s" : "",
            ]
        }
    }

    private func workersRun() async throws -> Double {
        let logger = connection.logger
        let redis = RedisClient(configuration: try connection.redisConfiguration(), logger: logger)
        do {
            let seconds = try await workersRun(redis: redis, logger: logger)
            await redis.close()
            return seconds
        } catch {
            await redis.close()
            throw error
        }
    }

    private func workersRun(redis: RedisClient, logger: Logger) async throws -> Double {
        try await Database.connectForCommand(configuration: try connection.databaseConfiguration(), logger: logger) { database in
            let queue = try JobQueues(database: database, redis: redis, logger: logger).queue(for: "report-generation")
            let run = BenchRun(database: database, queue: queue, logger: logger)
            let tenants = try await run.createTenants(1)
            let processes = try BenchWorkers(
                count: workers, concurrency: 1, types: "report-generation", databaseURL: connection.databaseURL,
                redisURL: connection.redisURL)
            do {
                let ids = try await BenchReportData.seed(
                    database, tenantID: tenants[0], collectives: collectives, evidence: evidencePerCollective)
                let requests = ids.map { id in
                    JobRequest(
                        type: "report-generation",
                        payload: #"{"kind":"collective_progress","format":"\#(format)","collective_id":"\#(id.uuidString.lowercased())"}"#)
                }
                let started = ContinuousClock.now
                _ = try await queue.enqueue(requests, tenantID: tenants[0])
                try await run.waitUntilFinished(requests.count, tenantIDs: tenants, label: "reports")
                let seconds = started.duration(to: .now).timeInterval
                await processes.stop()
                try await run.deleteTenants(tenants)
                return seconds
            } catch {
                await processes.stop()
                try? await run.deleteTenants(tenants)
                throw error
            }
        }
    }
}
