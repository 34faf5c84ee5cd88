import ILCQueue
import ServiceLifecycle

/// Runs one `Worker` per job type until graceful shutdown (SIGTERM, SIGINT), which
/// stops fetching and drains running jobs within the grace period.
struct WorkerService: Service {
    let workers: [Worker]

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for worker in workers {
                    group.addTask { await worker.run() }
                }
            }
        }
    }
}
