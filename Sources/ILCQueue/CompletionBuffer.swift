/// Collects finished runs so one statement writes many of them (group commit):
/// while a write is in flight, the next runs pile up and go in the following one.
actor CompletionBuffer {
    private var pending: [JobCompletion] = []
    private let signal: AsyncStream<Void>.Continuation
    let wakeUps: AsyncStream<Void>

    init() {
        (wakeUps, signal) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
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
        signal.finish()
    }
}
