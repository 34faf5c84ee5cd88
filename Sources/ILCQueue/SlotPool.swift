/// Counts free handler slots (the worker's concurrency) and lets the fetcher wait
/// for one instead of polling.
actor SlotPool {
    private var free: Int
    private var isClosed = false
    private var waiter: CheckedContinuation<Void, Never>?

    init(size: Int) {
        free = size
    }

    /// Waits until a slot is free, then takes as many as are free, up to `limit`.
    /// Returns 0 once the pool is closed (the worker is shutting down).
    func acquire(upTo limit: Int) async -> Int {
        while free == 0 && !isClosed {
            await withCheckedContinuation { waiter = $0 }
        }
        guard !isClosed else { return 0 }
        let taken = min(free, limit)
        free -= taken
        return taken
    }

    func release(_ count: Int) {
        guard count > 0 else { return }
        free += count
        wake()
    }

    func close() {
        isClosed = true
        wake()
    }

    private func wake() {
        waiter?.resume()
        waiter = nil
    }
}
