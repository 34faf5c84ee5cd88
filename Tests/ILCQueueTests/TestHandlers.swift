import Foundation
import ILCQueue
import ILCStore
import ILCTestSupport

/// Remembers which jobs started, in order, and how often each ran.
actor RunLog {
    private(set) var starts: [(tenant: UUID, job: UUID)] = []
    private(set) var runs: [UUID: Int] = [:]

    func started(_ context: JobContext) {
        starts.append((context.tenantID, context.jobID))
        runs[context.jobID, default: 0] += 1
    }

    var startedTenants: [UUID] { starts.map(\.tenant) }
    var startedJobs: [UUID] { starts.map(\.job) }
}

/// Succeeds at once, echoing the payload, after logging the start.
struct RecordingHandler: JobHandler {
    let type = "record"
    let log: RunLog
    var delay: Duration = .zero

    func run(_ context: JobContext) async throws -> String {
        await log.started(context)
        if delay > .zero { try await Task.sleep(for: delay) }
        return #"{"echo":\#(context.payload)}"#
    }
}

/// Always fails, retryable or not.
struct FailingHandler: JobHandler {
    let type = "poison"
    let retryable: Bool
    let log: RunLog

    func run(_ context: JobContext) async throws -> String {
        await log.started(context)
        throw JobFailure(title: "Poison", detail: "attempt \(context.attempt) failed on purpose", retryable: retryable)
    }
}

/// Runs until cancelled, reporting progress meanwhile.
struct EndlessHandler: JobHandler {
    let type = "endless"
    let log: RunLog

    func run(_ context: JobContext) async throws -> String {
        await log.started(context)
        var step: Int64 = 0
        while true {
            step += 1
            await context.reportProgress(percent: Double(min(step, 99)), processed: step, total: 100, message: "step \(step)")
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

/// Returns text that is not JSON.
struct MalformedResultHandler: JobHandler {
    let type = "malformed"

    func run(_ context: JobContext) async throws -> String {
        "definitely not JSON"
    }
}

/// Fails its first `outages` runs of each job the way a handler does when PostgreSQL
/// is down (it really tries a port where no server listens), then succeeds.
struct DatabaseDownHandler: JobHandler {
    let type = "record"
    let log: RunLog
    let outages: Int

    func run(_ context: JobContext) async throws -> String {
        await log.started(context)
        if await log.runs[context.jobID, default: 0] <= outages {
            let nowhere = try DatabaseConfiguration(
                url: "postgres://nobody:nothing@127.0.0.1:\(try await FreePort.next())/none?sslmode=disable")
            try await Database.checkReachable(nowhere, logger: context.logger)
        }
        return "{}"
    }
}
