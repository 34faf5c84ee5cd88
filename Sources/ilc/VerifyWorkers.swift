import Foundation
import Synchronization

/// The workers of one fault scenario, which the fault may stop and replace.
final class VerifyWorkers: Sendable {
    let lab: VerifyLab
    let tenant: VerifyTenant
    private let name: String
    private let processes = Mutex<[VerifyProcess]>([])

    init(lab: VerifyLab, tenant: VerifyTenant, name: String) {
        self.lab = lab
        self.tenant = tenant
        self.name = name
    }

    var all: [VerifyProcess] { processes.withLock { $0 } }

    subscript(index: Int) -> VerifyProcess { all[index] }

    func add(_ count: Int) throws {
        for _ in 0..<count {
            let number = processes.withLock { $0.count }
            let worker = try lab.startWorker("\(name)-worker-\(number)")
            processes.withLock { $0.append(worker) }
        }
    }

    /// Stops those still running (gracefully, then by force).
    func stopAll() async {
        for worker in all where worker.isRunning {
            await worker.stop()
        }
    }
}

extension VerifyProcess {
    /// Sends `signal` and answers the exit status, or nil if it still ran after `timeout`.
    func stopped(signal number: Int32, timeout: Duration = .seconds(40)) async -> Int32? {
        signal(number)
        return await waitForExit(timeout: timeout)
    }
}
