import Logging
import ServiceLifecycle

/// Deletes expired idempotency keys now and then, for every tenant. Each API process
/// runs one; running it twice at once is harmless.
public struct IdempotencyKeyPurger: Service {
    let store: IdempotencyStore
    let interval: Duration
    let logger: Logger

    public init(database: Database, interval: Duration = .seconds(600), logger: Logger) {
        self.store = IdempotencyStore(database: database)
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let purged = try await store.purgeExpired()
                if purged > 0 { logger.info("purged expired idempotency keys", metadata: ["keys": "\(purged)"]) }
            } catch {
                logger.warning("could not purge expired idempotency keys", metadata: ["error": "\(String(reflecting: error))"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return  // shutting down
            }
        }
    }
}
