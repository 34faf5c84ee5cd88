import Foundation
import ILCCore
import ILCRedis
import ILCStore
import Logging
import Tracing

/// Runs jobs: fetches fairly from Redis, claims in PostgreSQL, runs handlers with
/// bounded concurrency, writes outcomes in batches, heartbeats its leases and takes
/// its turn at maintenance. Cancelling the task that runs `run()` shuts it down
/// gracefully: no new fetches, running jobs get `shutdownGrace` to finish, the rest
/// are released without charging an attempt.
public final class Worker: Sendable {
    public let id: String
    public let concurrency: Int
    public let shutdownGrace: Duration
    let queue: JobQueue
    let handlers: [String: any JobHandler]
    let redis: RedisClient
    let logger: Logger

    let metrics: QueueMetrics
    /// Jobs this worker may hold (fetched, claimed ahead or running): concurrency plus
    /// prefetch.
    let holdings: SlotPool
    /// Handlers that may run at once: the concurrency.
    let handlerSlots: SlotPool
    let ready = ReadyJobs()
    let runTimes: RunTimeAverage
    let running = RunningJobs()
    let completions = CompletionBuffer()
    let progress = ProgressLedger()
    /// Whether runs are spans: a tracer was installed before this worker was made.
    let tracesJobs: Bool

    public init(
        id: String, queue: JobQueue, redis: RedisClient, handlers: [any JobHandler], concurrency: Int,
        shutdownGrace: Duration = .seconds(30), logger: Logger
    ) {
        self.id = id
        self.queue = queue
        self.redis = redis
        self.handlers = Dictionary(handlers.map { ($0.type, $0) }, uniquingKeysWith: { first, _ in first })
        self.concurrency = max(1, concurrency)
        self.shutdownGrace = shutdownGrace
        self.holdings = SlotPool(size: max(1, concurrency) + queue.configuration.prefetch)
        self.handlerSlots = SlotPool(size: max(1, concurrency))
        self.runTimes = RunTimeAverage(quickBelow: queue.configuration.quickRun)
        self.metrics = QueueMetrics(queue: queue.configuration.name)
        self.tracesJobs = !(InstrumentationSystem.tracer is NoOpTracer)
        var logger = logger
        logger[metadataKey: "worker"] = "\(id)"
        self.logger = logger
    }

    public var configuration: QueueConfiguration { queue.configuration }

    /// Runs until the calling task is cancelled, then drains.
    public func run() async {
        // The machinery runs in a task of its own so that cancelling the caller starts
        // a graceful drain instead of cancelling running handlers at once.
        let stopping = AsyncStream<Void>.makeStream()
        let machinery = Task { await self.runUntilStopped(stopSignal: stopping.stream) }
        await withTaskCancellationHandler {
            await machinery.value
        } onCancel: {
            stopping.continuation.finish()
        }
    }

    private func runUntilStopped(stopSignal: AsyncStream<Void>) async {
        logger.info("worker started", metadata: ["concurrency": "\(concurrency)", "queue": "\(configuration.name)"])
        async let writer: Void = writeCompletions()
        // Heartbeats go on while running jobs drain, so their leases hold.
        let background = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.heartbeatLoop() }
                group.addTask { await self.progressLoop() }
                group.addTask { await self.maintenanceLoop() }
            }
        }
        await withTaskGroup(of: Void.self) { foreground in
            foreground.addTask {
                await self.fetchLoop()
                await self.ready.close()
            }
            foreground.addTask { await self.launchLoop() }
            foreground.addTask {
                for await _ in stopSignal {}
                await self.holdings.close()
                await self.handlerSlots.close()
            }
            // The fetch loop ends once the holdings close, which the stop signal does;
            // the launch loop then gives back the jobs claimed ahead.
        }
        await drain()
        completions.finish()
        await writer
        background.cancel()
        await background.value
        logger.info("worker stopped")
    }

    /// Gives running jobs the grace period, then stops and releases the rest.
    private func drain() async {
        let runningCount = await running.count
        guard runningCount > 0 else { return }
        logger.info("draining", metadata: ["running": "\(runningCount)", "grace": "\(shutdownGrace)"])
        if await running.waitUntilEmpty(timeout: shutdownGrace) { return }
        await running.stopAll(reason: .shutdown)
        _ = await running.waitUntilEmpty(timeout: .seconds(5))
    }
}
