import Foundation
import ILCQueue
import OpenAPIRuntime

extension Components.Schemas.Job {
    /// A job as partners see it: no payload (it may hold what the tenant sent), no
    /// worker internals (lease, owner).
    init(_ record: JobRecord) throws {
        self.init(
            id: record.id.uuidString.lowercased(), _type: record.type,
            state: Components.Schemas.JobState(rawValue: record.state.rawValue) ?? .queued,
            priority: record.priority, attempt: record.attempts, maxAttempts: record.maxAttempts,
            progress: .init(
                percent: record.progress.percent, processed: record.progress.processed, total: record.progress.total,
                message: record.progress.message),
            result: try record.result.map { try JSONDecoder().decode(OpenAPIValueContainer.self, from: Data($0.utf8)) },
            error: try record.error.map { try JSONDecoder().decode(Components.Schemas.JobError.self, from: Data($0.utf8)) },
            createdAt: record.createdAt, updatedAt: record.updatedAt, runAt: record.runAt, startedAt: record.startedAt,
            finishedAt: record.finishedAt, links: .init(_self: "/v1/jobs/\(record.id.uuidString.lowercased())"))
    }
}
