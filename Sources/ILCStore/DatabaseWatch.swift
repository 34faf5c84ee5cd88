import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Watches PostgreSQL over connections of its own, so a busy pool never looks like an
/// outage: every `interval` a fresh connection runs `SELECT 1`, which must answer within
/// `deadline`. While it says the database is out, the API turns requests away with 503
/// at once instead of letting them wait in the pool for as long as the outage lasts.
///
/// Fresh each time (a connection costs the server a few milliseconds): a connection
/// kept from before a crash was seen to leave its next statement waiting.
public final class DatabaseWatch: Service {
    private let configuration: DatabaseConfiguration
    private let interval: Duration
    private let deadline: Duration
    private let logger: Logger
    private let available = Atomic<Bool>(true)
    /// Checks failed in a row: it takes two to call an outage, so one check whose
    /// connection the server happened to end does not turn requests away.
    private let failures = Atomic<Int>(0)

    public init(
        configuration: DatabaseConfiguration, interval: Duration = .milliseconds(500), deadline: Duration = .seconds(1),
        logger: Logger
    ) {
        self.configuration = configuration
        self.interval = interval
        self.deadline = deadline
        self.logger = logger
    }

    /// Whether the last check found PostgreSQL answering in time.
    public var isAvailable: Bool { available.load(ordering: .relaxed) }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.check()
                try? await Task.sleep(for: self.interval)
            }
        }
    }

    /// One check. It runs apart from this loop, which only waits `deadline` for it: a
    /// check the server never answers must not stop the watch.
    private func check() async {
        let outcome = Mutex<Result<Void, any Error>?>(nil)
        let attempt = Task { [configuration, deadline, logger] in
            do {
                let connection = try await Database.connectAlone(configuration, connectTimeout: deadline, logger: logger)
                do {
                    _ = try await connection.query("SELECT 1", logger: logger).collect()
                } catch {
                    try? await connection.close()
                    throw error
                }
                try? await connection.close()
                outcome.withLock { $0 = .success(()) }
            } catch {
                outcome.withLock { $0 = .failure(error) }
            }
        }
        let due = ContinuousClock.now + deadline
        while ContinuousClock.now < due, outcome.withLock({ $0 }) == nil {
            try? await Task.sleep(for: .milliseconds(20))
        }
        switch outcome.withLock({ $0 }) {
        case .success?:
            record(true, reason: nil)
        case .failure(let error)?:
            record(false, reason: String(reflecting: error))
        case nil:
            attempt.cancel()
            record(false, reason: "no answer within \(deadline)")
        }
    }

    private func record(_ now: Bool, reason: String?) {
        if now {
            failures.store(0, ordering: .relaxed)
        } else if failures.wrappingAdd(1, ordering: .relaxed).newValue < 2 {
            return
        }
        guard available.exchange(now, ordering: .relaxed) != now else { return }
        if now {
            logger.notice("PostgreSQL answers again: serving requests")
        } else {
            logger.error("PostgreSQL unavailable: requests are answered 503 until it is back", metadata: ["reason": "\(reason ?? "")"])
        }
    }
}
