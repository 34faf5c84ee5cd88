import Dispatch
import Foundation
import Synchronization

/// What must not outlive an interrupted `ilc verify`: the processes it started (killed)
/// and a server it paused (continued). On SIGINT or SIGTERM they are seen to, then it exits.
enum VerifyCleanup {
    private static let pending = Mutex<[Int32: Int32]>([:])

    /// At exit, `pid` gets `signal`.
    static func register(_ pid: Int32, signal: Int32) {
        pending.withLock { $0[pid] = signal }
    }

    static func forget(_ pid: Int32) {
        _ = pending.withLock { $0.removeValue(forKey: pid) }
    }

    /// Called once, before anything starts. Keep what it answers: a released source
    /// stops delivering.
    static func installSignalHandlers() -> [any DispatchSourceSignal] {
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            Foundation.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                for (pid, signal) in pending.withLock({ $0 }) { kill(pid, signal) }
                FileHandle.standardError.write(Data("verify: interrupted; stopped what it had started\n".utf8))
                exit(130)
            }
            source.resume()
            sources.append(source)
        }
        return sources
    }
}
