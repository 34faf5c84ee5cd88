import PostgresNIO
import Synchronization

/// A statement's connection ended and the statement never got an answer.
public struct DatabaseConnectionLost: Error, CustomStringConvertible {
    public var description: String { "the database connection closed before the statement was answered" }
}

extension PostgresConnection {
    /// Waits for `statement` on this connection, but not past the connection's end.
    /// PostgresNIO can leave a statement waiting forever when the server ends the backend
    /// in the middle of it: the connection reports itself closed, the statement neither
    /// answers nor fails (ops/verify's "backends terminated" scenario stranded jobs and
    /// requests that way). Once the connection has been closed for a second with no
    /// answer, the wait ends with `DatabaseConnectionLost`; the abandoned statement is
    /// left to end, or not, by itself.
    func answer<Value: Sendable>(_ statement: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let pending = PendingAnswer<Value>()
        return try await withCheckedThrowingContinuation { continuation in
            pending.wait(continuation)
            Task {
                do {
                    pending.resume(with: .success(try await statement()))
                } catch {
                    pending.resume(with: .failure(error))
                }
            }
            let watch = Task { [self] in
                var closedChecks = 0
                while closedChecks < 2 {
                    do {
                        try await Task.sleep(for: .milliseconds(500))
                    } catch {
                        return
                    }
                    closedChecks = isClosed ? closedChecks + 1 : 0
                }
                pending.resume(with: .failure(DatabaseConnectionLost()))
            }
            pending.watch(watch)
        }
    }
}

/// The one answer a waiting statement gets: its own, or the watch's.
private final class PendingAnswer<Value: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Value, any Error>?
        var watch: Task<Void, Never>?
        var answered = false
    }

    private let state = Mutex(State())

    func wait(_ continuation: CheckedContinuation<Value, any Error>) {
        state.withLock { $0.continuation = continuation }
    }

    func watch(_ task: Task<Void, Never>) {
        let answered = state.withLock { state in
            if !state.answered { state.watch = task }
            return state.answered
        }
        if answered { task.cancel() }
    }

    func resume(with result: Result<Value, any Error>) {
        let (continuation, watch) = state.withLock { state -> (CheckedContinuation<Value, any Error>?, Task<Void, Never>?) in
            guard !state.answered else { return (nil, nil) }
            state.answered = true
            defer {
                state.continuation = nil
                state.watch = nil
            }
            return (state.continuation, state.watch)
        }
        watch?.cancel()
        continuation?.resume(with: result)
    }
}
