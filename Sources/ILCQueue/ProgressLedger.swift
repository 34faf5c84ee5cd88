import Foundation

/// Latest progress of each running job, written out in one batch per second.
actor ProgressLedger {
    private var pending: [UUID: JobRecord.Progress] = [:]

    func record(_ jobID: UUID, _ progress: JobRecord.Progress) {
        pending[jobID] = progress
    }

    func takeAll() -> [UUID: JobRecord.Progress] {
        defer { pending.removeAll() }
        return pending
    }
}
