/// Waiting for work with a limit where the work itself must not be cut short (a Redis
/// command in flight, say): it runs in a task of its own and, past the limit, goes on
/// unwatched while the caller moves on.
public enum TimeBox {
    /// `work`'s value if it comes within `limit`; nil if it does not.
    public static func value<Value: Sendable>(
        within limit: Duration, _ work: @escaping @Sendable () async -> Value
    ) async -> Value? {
        let (results, continuation) = AsyncStream.makeStream(of: Value?.self)
        Task {
            continuation.yield(await work())
            continuation.finish()
        }
        let timer = Task {
            try? await Task.sleep(for: limit)
            continuation.yield(nil)
            continuation.finish()
        }
        for await result in results {
            timer.cancel()
            return result
        }
        return nil
    }
}
