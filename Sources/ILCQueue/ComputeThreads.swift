import NIOCore
import NIOPosix

/// Threads of their own for the CPU-bound part of a job (clustering, the group search,
/// matching, rendering). Swift's cooperative pool has one thread per core: a few long
/// computations there held every thread, so heartbeats, fetches, progress and outcome
/// writes of the whole worker waited behind them, and leases could lapse. On these
/// threads the kernel shares the cores and the worker's own tasks keep running.
public final class ComputeThreads: Sendable {
    private let pool: NIOThreadPool

    /// One thread per core by default: more would only slow each computation down.
    public init(count: Int = System.coreCount) {
        pool = NIOThreadPool(numberOfThreads: max(1, count))
        pool.start()
    }

    /// Runs `work` on one of the threads (queued while all are busy) and answers its result.
    public func run<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await pool.runIfActive(work)
    }
}
