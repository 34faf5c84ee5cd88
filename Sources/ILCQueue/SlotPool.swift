/// Counts free slots (handler slots, or jobs a worker may hold) and lets a loop wait
/// for them instead of polling.
actor SlotPool {
    private let size: Int
    private var free: Int
    private var isClosed = false
    private var waiter: CheckedContinuation<Void, Never>?

    init(size: Int) {
        self.size = size
        free = size
    }

    /// Waits until a slot is free, then, when fewer than `batch` are free, up to
    /// `linger` more for others to free up: fetching and claiming a batch costs about
    /// what one job costs, so quick jobs should not be fetched one at a time. Takes as
    /// many as are free, up to `limit`, leaving `holdBack` untouched. Returns 0 once
    /// the pool is closed.
    func acquire(upTo limit: Int, batch: Int, linger: Duration, holdBack: Int = 0) async -> Int {
        while free - holdBack <= 0 && !isClosed {
            await withCheckedContinuation { waiter = $0 }
        }
        if free - holdBack < batch && !isClosed && linger > .zero {
            let deadline = ContinuousClock.now + linger
            while free - holdBack < batch && !isClosed && ContinuousClock.now < deadline {
                try? await Task.sleep(for: .microseconds(250))
            }
        }
        guard !isClosed else { return 0 }
        let taken = min(free - holdBack, limit)
        free -= taken
        return taken
    }

    func release(_ count: Int) {
        guard count > 0 else { return }
        assert(free + count <= size, "released more slots than were taken")
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
