import Foundation
import Synchronization

/// The workers of one fault scenario, which the fault may stop and replace.
final class VerifyWorkers: Sendable {
    let lab: VerifyLab
    private let name: String
    private let processes = Mutex<[VerifyProcess]>([])

    init(lab: VerifyLab, name: String) {
        self.lab = lab
        self.name = name
    }

    var all: [VerifyProcess] { processes.withLock { $0 } }

    func add(_ count: Int) throws {
        for _ in 0..<count {
            let number = processes.withLock { $0.count }
            let worker = try lab.startWorker("\(name)-worker-\(number)", types: nil)
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
