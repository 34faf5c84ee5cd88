import Synchronization

/// Collects finished runs so one statement writes many of them (group commit):
/// while a write is in flight, the next runs pile up and go in the following one.
actor CompletionBuffer {
    private var pending: [JobCompletion] = []
    private let finishedAt = Mutex<ContinuousClock.Instant?>(nil)
    private let signal: AsyncStream<Void>.Continuation
    let wakeUps: AsyncStream<Void>
    private let finishing: AsyncStream<Void>.Continuation
    private let finishes: AsyncStream<Void>

    init() {
        (wakeUps, signal) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        (finishes, finishing) = AsyncStream<Void>.makeStream()
    }

    func add(_ completion: JobCompletion) {
        pending.append(completion)
        signal.yield()
    }

    func take(limit: Int) -> [JobCompletion] {
        let taken = Array(pending.prefix(limit))
        pending.removeFirst(taken.count)
        return taken
    }

    var isEmpty: Bool { pending.isEmpty }

    nonisolated func finish() {
        finishedAt.withLock { $0 = $0 ?? .now }
        signal.finish()
        finishing.finish()
    }

    /// Returns once `finish` was called, or when the calling task is canceled.
    nonisolated func untilFinished() async {
        for await _ in finishes {}
    }

    /// When `finish` was called (the worker drained and is stopping); nil before.
    nonisolated var finished: ContinuousClock.Instant? {
        finishedAt.withLock { $0 }
    }
}
