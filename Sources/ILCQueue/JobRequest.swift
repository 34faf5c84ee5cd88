import Foundation
import ILCCore

/// A job to enqueue: what to run, for whom is given by the tenant transaction.
public struct JobRequest: Sendable, Equatable {
    public var type: String
    /// JSON text.
    public var payload: String
    /// -100 … 100; higher runs first within a tenant.
    public var priority: Int
    /// Not before this time; nil for now.
    public var runAt: Date?
    public var maxAttempts: Int
    /// Same key, same tenant: one job, whatever the number of requests.
    public var idempotencyKey: String?

    public init(
        type: String, payload: String = "{}", priority: Int = 0, runAt: Date? = nil, maxAttempts: Int = 5,
        idempotencyKey: String? = nil
    ) {
        self.type = type
        self.payload = payload
        self.priority = priority
        self.runAt = runAt
        self.maxAttempts = maxAttempts
        self.idempotencyKey = idempotencyKey
    }

    /// The rules the table enforces, checked first so callers get a field name.
    public func validate() throws(ValidationError) {
        let typeCharacters = type.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        guard (1...64).contains(type.count), typeCharacters, type.first?.isLetter == true else {
            throw ValidationError(field: "type", message: "must be 1–64 lowercase letters, digits or hyphens, starting with a letter")
        }
        guard (-100...100).contains(priority) else {
            throw ValidationError(field: "priority", message: "must be between -100 and 100")
        }
        guard (1...100).contains(maxAttempts) else {
            throw ValidationError(field: "max_attempts", message: "must be between 1 and 100")
        }
        if let idempotencyKey, !(1...255).contains(idempotencyKey.utf8.count) {
            throw ValidationError(field: "idempotency_key", message: "must be 1–255 bytes")
        }
        // The empty object is by far the most common payload; parsing is not free.
        guard payload == "{}"
            || (try? JSONSerialization.jsonObject(with: Data(payload.utf8), options: [.fragmentsAllowed])) != nil
        else {
            throw ValidationError(field: "payload", message: "must be JSON")
        }
    }
}

/// What enqueueing produced: the job, and whether this call created it (false when an
/// idempotency key matched an earlier job).
public struct EnqueuedJob: Sendable, Equatable {
    public let tenantID: UUID
    public let id: UUID
    public let priority: Int
    public let runAt: Date
    public let created: Bool
}
