import Foundation
import ILCCore
import ILCQueue
import OpenAPIRuntime

extension PartnerAPI {
    func listJobs(_ input: Operations.ListJobs.Input) async throws -> Operations.ListJobs.Output {
        let tenant = try tenantID()
        let (limit, cursor) = try PageCursor.page(limit: input.query.limit, cursor: input.query.cursor)
        if let type = input.query._type, !Self.isJobType(type) {
            return .badRequest(.init(body: .applicationProblemJson(APIProblem.invalid("/type", "is not a job type (lowercase letters, digits, hyphens)").document)))
        }
        let filter = JobFilter(state: input.query.state.flatMap { JobState(rawValue: $0.rawValue) }, type: input.query._type)
        // One more than asked tells whether another page exists.
        let records = try await jobs.jobs(tenantID: tenant, filter: filter, before: cursor, limit: limit + 1)
        let (page, next) = PageCursor.split(records, limit: limit, id: \.id)
        return .ok(.init(body: .json(.init(data: try page.map(Components.Schemas.Job.init), next: next))))
    }

    func getJob(_ input: Operations.GetJob.Input) async throws -> Operations.GetJob.Output {
        let tenant = try tenantID()
        guard let id = UUID(uuidString: input.path.jobId),
              let record = try await jobs.job(tenantID: tenant, id: id) else {
            return .notFound(.init(body: .applicationProblemJson(APIProblem.notFound().document)))
        }
        let tag = Self.entityTag(record)
        let retryAfter = record.state.isTerminal ? nil : Self.pollingInterval(record)
        if let presented = input.headers.ifNoneMatch, IfNoneMatch.matches(presented, etag: tag) {
            return .notModified(.init(headers: .init(eTag: tag, retryAfter: retryAfter)))
        }
        return .ok(.init(headers: .init(eTag: tag, retryAfter: retryAfter), body: .json(try .init(record))))
    }

    func cancelJob(_ input: Operations.CancelJob.Input) async throws -> Operations.CancelJob.Output {
        let tenant = try tenantID()
        guard let id = UUID(uuidString: input.path.jobId),
              let state = try await jobs.cancel(tenantID: tenant, id: id),
              let record = try await jobs.job(tenantID: tenant, id: id) else {
            return .notFound(.init(body: .applicationProblemJson(APIProblem.notFound().document)))
        }
        guard state == .canceled || state == .canceling else {
            var problem = APIProblem(status: .conflict, code: "job_finished", title: "The job has already finished")
            problem.detail = "it is \(record.state.rawValue)"
            return .conflict(.init(body: .applicationProblemJson(problem.document)))
        }
        return .accepted(.init(body: .json(try .init(record))))
    }

    static func isJobType(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, ("a"..."z").contains(first), text.unicodeScalars.count <= 64 else {
            return false
        }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// Changes whenever anything a poller sees changes (every write sets `updated_at`).
    static func entityTag(_ record: JobRecord) -> String {
        let microseconds = Int64((record.updatedAt.timeIntervalSince1970 * 1_000_000).rounded())
        return "\"\(microseconds)-\(record.state.rawValue)\""
    }

    /// Queued or running: poll again soon, less often the longer the job has been going.
    static func pollingInterval(_ record: JobRecord) -> Int {
        let age = Date().timeIntervalSince(record.createdAt)
        return age < 10 ? 1 : (age < 120 ? 5 : 15)
    }
}
