import Foundation

/// A handler's failure, stored on the job as problem-like JSON (RFC 9457 fields).
public struct JobFailure: Error, Sendable, Equatable {
    public var type: String
    public var title: String
    public var detail: String
    /// False when running again cannot help (bad payload, missing data): the job
    /// fails at once instead of using up its attempts.
    public var retryable: Bool
    /// When the next attempt should run, for handlers that know better than the
    /// queue's exponential backoff (a receiver's schedule, its Retry-After).
    public var retryAfter: Duration?

    public init(
        title: String, detail: String, type: String = "about:blank", retryable: Bool = true, retryAfter: Duration? = nil
    ) {
        self.type = type
        self.title = title
        self.detail = detail
        self.retryable = retryable
        self.retryAfter = retryAfter
    }

    /// Wraps any error a handler threw.
    init(wrapping error: any Error) {
        if let failure = error as? JobFailure {
            self = failure
        } else {
            self.init(title: "The job's handler failed", detail: String(describing: error))
        }
    }

    func problemJSON(attempt: Int) -> String {
        let object: [String: Any] = ["type": type, "title": title, "detail": detail, "attempt": attempt, "retryable": retryable]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
            return #"{"title":"The job's handler failed"}"#
        }
        return String(decoding: data, as: UTF8.self)
    }
}
