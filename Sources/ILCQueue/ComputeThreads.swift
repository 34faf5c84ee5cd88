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

extension ComputeThreads {
    /// Runs `work` on one of the threads while the steps it reports reach `progress` in
    /// order, back on the caller's side (a progress write must not hold a compute thread);
    /// returns once both are done, with `work`'s value or error.
    public func run<Value: Sendable, Step: Sendable>(
        _ work: @escaping @Sendable (_ report: @escaping @Sendable (Step) -> Void) throws -> Value,
        progress: @escaping @Sendable (Step) async -> Void
    ) async throws -> Value {
        let (steps, continuation) = AsyncStream.makeStream(of: Step.self)
        let forwarding = Task {
            for await step in steps { await progress(step) }
        }
        let outcome: Result<Value, any Error>
        do {
            outcome = .success(try await run { try work { continuation.yield($0) } })
        } catch {
            outcome = .failure(error)
        }
        continuation.finish()
        await forwarding.value
        return try outcome.get()
    }
}
