import Logging
import ServiceLifecycle

/// Deletes, now and then and for every tenant, what has outlived its time: idempotency
/// keys after a day, reports after the tenant's retention, finished jobs after the job
/// retention (nil: kept). Each API process runs one; running it twice at once is harmless.
public struct ExpiredRowPurger: Service {
    let idempotencyKeys: IdempotencyStore
    let reports: ReportStore
    let jobs: JobRetention?
    let interval: Duration
    let logger: Logger

    public init(database: Database, jobRetention: Duration?, interval: Duration = .seconds(600), logger: Logger) {
        self.idempotencyKeys = IdempotencyStore(database: database)
        self.reports = ReportStore(database: database)
        self.jobs = jobRetention.map { JobRetention(database: database, period: $0) }
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        // All of it, not just the wait: a purge waiting for an unreachable database
        // must not hold up a shutdown.
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await purge("idempotency keys") { try await idempotencyKeys.purgeExpired() }
                await purge("reports") { try await reports.purgeExpired() }
                if let jobs {
                    await purge("finished jobs") { try await jobs.purgeExpired() }
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    private func purge(_ what: String, _ body: () async throws -> Int) async {
        do {
            let purged = try await body()
            if purged > 0 { logger.info("purged expired \(what)", metadata: ["rows": "\(purged)"]) }
        } catch {
            logger.warning("could not purge expired \(what)", metadata: ["error": "\(String(reflecting: error))"])
        }
    }
}
