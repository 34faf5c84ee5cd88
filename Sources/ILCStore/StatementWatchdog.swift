import PostgresNIO
import Synchronization

/// Watches the connections of statements waiting for an answer and fails those whose
/// connection stays closed (`PostgresConnection.answer`). One watcher for the whole
/// process, ticking only while statements wait: a watching task and a timer for every
/// statement cost more than a short statement itself (thread wake-ups to arm and
/// cancel each timer), and every job poll and queue update is such a statement.
final class StatementWatchdog: Sendable {
    static let shared = StatementWatchdog(interval: .milliseconds(500), closedChecksToFail: 2)

    private struct Watched {
        let connection: PostgresConnection
        let fail: @Sendable () -> Void
        var closedChecks = 0
    }

    private struct State {
        var watched: [UInt64: Watched] = [:]
        var nextID: UInt64 = 0
        var ticking = false
    }

    private let interval: Duration
    private let closedChecksToFail: Int
    private let state = Mutex(State())

    init(interval: Duration, closedChecksToFail: Int) {
        self.interval = interval
        self.closedChecksToFail = closedChecksToFail
    }

    /// Starts watching `connection` for one statement; `fail` is called (once, and
    /// never after `forget`) when the connection has been seen closed at
    /// `closedChecksToFail` ticks in a row.
    func watch(_ connection: PostgresConnection, fail: @escaping @Sendable () -> Void) -> UInt64 {
        let (id, startTicking) = state.withLock { state in
            let id = state.nextID
            state.nextID &+= 1
            state.watched[id] = Watched(connection: connection, fail: fail)
            let startTicking = !state.ticking
            state.ticking = true
            return (id, startTicking)
        }
        if startTicking {
            Task { await self.tick() }
        }
        return id
    }

    /// Whether a tick is due (some statement is, or was until the last tick, watched).
    var isTicking: Bool {
        state.withLock { $0.ticking }
    }

    /// The statement answered: stop watching it.
    func forget(_ id: UInt64) {
        _ = state.withLock { $0.watched.removeValue(forKey: id) }
    }

    private func tick() async {
        while true {
            // Nothing cancels this task; a cancelled sleep would only end a tick early.
            try? await Task.sleep(for: interval)
            let lost = state.withLock { state -> [@Sendable () -> Void]? in
                guard !state.watched.isEmpty else {
                    state.ticking = false
                    return nil
                }
                var lost: [@Sendable () -> Void] = []
                for (id, var watched) in state.watched {
                    watched.closedChecks = watched.connection.isClosed ? watched.closedChecks + 1 : 0
                    if watched.closedChecks >= closedChecksToFail {
                        state.watched[id] = nil
                        lost.append(watched.fail)
                    } else {
                        state.watched[id] = watched
                    }
                }
                return lost
            }
            guard let lost else { return }
            for fail in lost { fail() }
        }
    }
}
