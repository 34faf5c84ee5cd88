import Foundation

/// How a run ended, as the worker reports it to PostgreSQL.
enum JobOutcome: String, Sendable {
    /// The handler returned a result.
    case succeeded
    /// The handler failed; the job runs again after `retryDelay` unless it is out of attempts.
    case retry
    /// The handler failed in a way retrying cannot fix.
    case failed
    /// The handler stopped because cancellation was requested.
    case canceled
    /// The job waits again, the attempt not charged: the worker is shutting down.
    case released
    /// The job waits again (after `retryDelay`), the attempt not charged and counted
    /// in `outage_put_backs`: the database went out of reach while it ran.
    case putBack = "put_back"
}

/// One finished run, to be written with many others in one statement.
struct JobCompletion: Sendable {
    let tenantID: UUID
    let id: UUID
    let token: UUID
    let outcome: JobOutcome
    /// JSON text.
    let result: String?
    /// Problem-like JSON text.
    let error: String?
    let retryDelay: Duration
}

/// Where a job stands after a completion, so Redis can follow.
struct SettledJob: Sendable {
    let tenantID: UUID
    let id: UUID
    let state: String
    let priority: Int
    let runAt: Date
}
