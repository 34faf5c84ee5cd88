import Foundation
import ILCCore

/// A job as partners see it when they poll.
public struct JobRecord: Sendable, Equatable {
    public struct Progress: Sendable, Equatable {
        public var percent: Double?
        public var processed: Int64?
        public var total: Int64?
        public var message: String?
    }

    public let tenantID: UUID
    public let id: UUID
    public let type: String
    public let state: JobState
    public let priority: Int
    public let attempts: Int
    public let maxAttempts: Int
    public let leaseExpirations: Int
    public let payload: String
    public let progress: Progress
    /// JSON text, once succeeded.
    public let result: String?
    /// Problem-like JSON text, after a failure.
    public let error: String?
    public let runAt: Date
    public let createdAt: Date
    public let updatedAt: Date
    public let startedAt: Date?
    public let finishedAt: Date?
}
