import Foundation

/// Claimed jobs waiting for a free handler slot, in the order they were fetched. While
/// jobs are quick a worker claims ahead (prefetch), so fetching and claiming the next
/// batch overlaps with running this one instead of leaving the slots idle meanwhile.
actor ReadyJobs {
    struct Entry: Sendable {
        let job: JobStore.Claimed
        let claimedAt: ContinuousClock.Instant
    }

    private var entries: [Entry] = []
    private var head = 0
    private var isClosed = false
    private var waiter: CheckedContinuation<Void, Never>?

    func append(_ jobs: [JobStore.Claimed]) {
        let now = ContinuousClock.now
        entries.append(contentsOf: jobs.map { Entry(job: $0, claimedAt: now) })
        waiter?.resume()
        waiter = nil
    }

    /// The next job; nil once closed and empty.
    func next() async -> Entry? {
        while head == entries.count && !isClosed {
            await withCheckedContinuation { waiter = $0 }
        }
        guard head < entries.count else { return nil }
        let entry = entries[head]
        head += 1
        // Drop the consumed prefix now and then instead of shifting on every take.
        if head > 1_024 && head * 2 > entries.count {
            entries.removeFirst(head)
            head = 0
        }
        return entry
    }

    /// No more jobs will come: `next` returns what is left, then nil.
    func close() {
        isClosed = true
        waiter?.resume()
        waiter = nil
    }
}
