/// Waiting in a test for something another task or process brings about. The limit only
/// keeps a broken system from hanging the suite: tests assert behaviour, not speed.
public enum Eventually {
    /// The first value `probe` gives within `limit`, asking every `interval`; nil if none.
    public static func value<Value>(
        within limit: Duration = .seconds(30), every interval: Duration = .milliseconds(10),
        _ probe: () async throws -> Value?
    ) async rethrows -> Value? {
        let deadline = ContinuousClock.now + limit
        while true {
            if let value = try await probe() { return value }
            guard ContinuousClock.now < deadline else { return nil }
            try? await Task.sleep(for: interval)
        }
    }

    /// Whether `condition` comes to hold within `limit`.
    public static func holds(
        within limit: Duration = .seconds(30), every interval: Duration = .milliseconds(10), _ condition: () async throws -> Bool
    ) async rethrows -> Bool {
        try await value(within: limit, every: interval) { try await condition() ? true : nil } ?? false
    }
}
