import Foundation
import ILCCore
import ILCQueue
import ILCStore
import Logging
import ServiceLifecycle

/// Runs one `Worker` per job type until graceful shutdown (SIGTERM, SIGINT), which
/// stops fetching and drains running jobs within the grace period. Registers the
/// process in the `workers` table and heartbeats it there, for operators.
struct WorkerService: Service {
    let id: String
    let workers: [Worker]
    let registry: WorkerRegistry
    let heartbeatInterval: Duration
    let logger: Logger

    func run() async throws {
        try await registry.register(
            id: id, hostname: ProcessInfo.processInfo.hostName, pid: Int(ProcessInfo.processInfo.processIdentifier),
            version: WorkerCommand.version, concurrency: workers.first?.concurrency ?? 0,
            jobTypes: workers.map(\.configuration.name))
        let heartbeat = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: heartbeatInterval)
                do {
                    try await registry.heartbeat(id: id)
                } catch where !Task.isCancelled {
                    logger.warning("worker heartbeat failed", metadata: ["error": "\(error)"])
                }
            }
        }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for worker in workers {
                    group.addTask { await worker.run() }
                }
            }
        }
        heartbeat.cancel()
        // Briefly: with PostgreSQL away the pool would hold this for a minute, and the
        // process must exit; an entry left behind just goes stale in `ilc status`.
        let recorded: Void? = await TimeBox.value(within: .seconds(5)) { [registry, id, logger] in
            do {
                try await registry.stopped(id: id)
            } catch {
                logger.warning("could not record the worker as stopped", metadata: ["error": "\(error)"])
            }
        }
        if recorded == nil {
            logger.warning("could not record the worker as stopped in time; its entry goes stale")
        }
    }
}
