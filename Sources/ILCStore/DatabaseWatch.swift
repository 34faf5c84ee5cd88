import ILCCore
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Watches PostgreSQL over a connection of its own, so a busy pool never looks like an
/// outage: every `interval` it runs `SELECT 1`, which must answer within `deadline`;
/// two failed checks in a row are an outage. While it says the database is out, the
/// API turns requests away with 503 at once instead of letting them wait in the pool
/// for as long as the outage lasts.
///
/// A check that fails or is overdue gives its connection up (a connection kept from
/// before a crash was seen to leave its next statement waiting) and the next check
/// opens a new one.
public final class DatabaseWatch: Service {
    private let configuration: DatabaseConfiguration
    private let interval: Duration
    private let deadline: Duration
    private let logger: Logger
    private let available = Atomic<Bool>(true)
    private let failures = Atomic<Int>(0)
    private let connection = Mutex<PostgresConnection?>(nil)
    /// Checks finished so far, answered or not.
    let completedChecks = Atomic<Int>(0)
    /// Who waits in `outage()`, resumed when the database is found out.
    private let outageWaiters = Mutex<(next: Int, waiting: [Int: CheckedContinuation<Void, Never>])>((0, [:]))

    public init(
        configuration: DatabaseConfiguration, interval: Duration = .milliseconds(500), deadline: Duration = .seconds(2),
        logger: Logger
    ) {
        self.configuration = configuration
        self.interval = interval
        self.deadline = deadline
        self.logger = logger
    }

    /// Whether PostgreSQL answered the last checks in time.
    public var isAvailable: Bool { available.load(ordering: .relaxed) }

    /// Returns once the database is found out (at once if it is now), or when the
    /// calling task is cancelled.
    public func outage() async {
        let id = outageWaiters.withLock { waiters in
            defer { waiters.next += 1 }
            return waiters.next
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let waiting = outageWaiters.withLock { waiters in
                    // Checked under the lock `record` flips it under: no flip slips between.
                    guard available.load(ordering: .relaxed), !Task.isCancelled else { return false }
                    waiters.waiting[id] = continuation
                    return true
                }
                if !waiting { continuation.resume() }
            }
        } onCancel: {
            outageWaiters.withLock { $0.waiting.removeValue(forKey: id) }?.resume()
        }
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.check()
                try? await Task.sleep(for: self.interval)
            }
        }
        try? await connection.withLock({ connection in defer { connection = nil }; return connection })?.close()
    }

    /// One check. It runs apart from this loop, which only waits `deadline` for it: a
    /// check the server never answers must not stop the watch.
    private func check() async {
        let kept = connection.withLock { $0 }
        let outcome = await TimeBox.value(within: deadline) { [configuration, deadline, logger] () async -> Result<PostgresConnection, any Error> in
            do {
                let live: PostgresConnection
                if let kept {
                    live = kept
                } else {
                    live = try await Database.connectAlone(configuration, connectTimeout: deadline, logger: logger)
                }
                do {
                    _ = try await live.query("SELECT 1", logger: logger).collect()
                } catch {
                    try? await live.close()
                    throw error
                }
                return .success(live)
            } catch {
                return .failure(error)
            }
        }
        switch outcome {
        case .success(let live)?:
            connection.withLock { $0 = live }
            record(true, reason: nil)
        case .failure(let error)?:
            connection.withLock { $0 = nil }
            record(false, reason: String(reflecting: error))
        case nil:
            connection.withLock { $0 = nil }
            if let kept { Task { try? await kept.close() } }
            record(false, reason: "no answer within \(deadline)")
        }
    }

    private func record(_ now: Bool, reason: String?) {
        completedChecks.add(1, ordering: .relaxed)
        if now {
            failures.store(0, ordering: .relaxed)
        } else if failures.wrappingAdd(1, ordering: .relaxed).newValue < 2 {
            return
        }
        let (flipped, waiters) = outageWaiters.withLock { waiters -> (Bool, [CheckedContinuation<Void, Never>]) in
            guard available.exchange(now, ordering: .relaxed) != now else { return (false, []) }
            guard !now else { return (true, []) }
            defer { waiters.waiting = [:] }
            return (true, Array(waiters.waiting.values))
        }
        guard flipped else { return }
        for waiter in waiters { waiter.resume() }
        if now {
            logger.notice("PostgreSQL answers again: serving requests")
        } else {
            logger.error("PostgreSQL unavailable: requests are answered 503 until it is back", metadata: ["reason": "\(reason ?? "")"])
        }
    }
}
