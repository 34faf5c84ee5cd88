import Foundation
import Synchronization

/// Waits for a child process without `waitUntilExit()`, which on Linux spins a run
/// loop that has nothing to wait on (a busy loop stealing CPU from the test).
/// Create it before `run()`: it installs the process's termination handler.
public final class ProcessExit: Sendable {
    private let state = Mutex<(status: Int32?, waiters: [CheckedContinuation<Int32, Never>])>((nil, []))

    public init(_ process: Process) {
        process.terminationHandler = { [self] finished in
            let waiters = state.withLock { state in
                state.status = finished.terminationStatus
                defer { state.waiters.removeAll() }
                return state.waiters
            }
            for waiter in waiters { waiter.resume(returning: finished.terminationStatus) }
        }
    }

    /// The exit status, once the process has ended.
    public func wait() async -> Int32 {
        await withCheckedContinuation { continuation in
            let status = state.withLock { state -> Int32? in
                if let status = state.status { return status }
                state.waiters.append(continuation)
                return nil
            }
            if let status { continuation.resume(returning: status) }
        }
    }
}
