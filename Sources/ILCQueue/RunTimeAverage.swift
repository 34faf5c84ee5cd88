import Synchronization

/// A moving average of how long this worker's handlers run, which decides whether
/// claiming ahead pays: for quick jobs the claim round trip dominates, for slow ones
/// a job claimed ahead would only wait, holding a lease another worker could use.
final class RunTimeAverage: Sendable {
    private let averageSeconds = Mutex<Double?>(nil)
    private let quickBelow: Double

    init(quickBelow: Duration) {
        self.quickBelow = quickBelow.timeInterval
    }

    func record(_ duration: Duration) {
        let seconds = duration.timeInterval
        averageSeconds.withLock { average in
            // About the last hundred runs.
            average = average.map { $0 * 0.99 + seconds * 0.01 } ?? seconds
        }
    }

    /// False until a run has been seen: a new worker does not claim ahead.
    var jobsAreQuick: Bool {
        averageSeconds.withLock { $0.map { $0 < quickBelow } ?? false }
    }
}
