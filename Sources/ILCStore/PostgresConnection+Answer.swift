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
    /// requests that way). Once `StatementWatchdog` has seen the connection closed at two
    /// ticks in a row (half a second apart) with no answer, the wait ends with
    /// `DatabaseConnectionLost`; the abandoned statement is left to end, or not, by itself.
    func answer<Value: Sendable>(_ statement: @escaping @Sendable () async throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let pending = PendingAnswer(continuation)
            let watch = StatementWatchdog.shared.watch(self) {
                pending.resume(with: .failure(DatabaseConnectionLost()))
            }
            Task {
                let result: Result<Value, any Error>
                do {
                    result = .success(try await statement())
                } catch {
                    result = .failure(error)
                }
                StatementWatchdog.shared.forget(watch)
                pending.resume(with: result)
            }
        }
    }
}

/// The one answer a waiting statement gets: its own, or the watchdog's.
private final class PendingAnswer<Value: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<Value, any Error>?>

    init(_ continuation: CheckedContinuation<Value, any Error>) {
        self.continuation = Mutex(continuation)
    }

    func resume(with result: Result<Value, any Error>) {
        let waiting = continuation.withLock { continuation in
            defer { continuation = nil }
            return continuation
        }
        waiting?.resume(with: result)
    }
}
