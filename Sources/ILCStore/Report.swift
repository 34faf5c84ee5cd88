import Foundation
import ILCReports

/// A stored report's description; its content is read apart (`ReportStore.content`).
public struct Report: Sendable, Equatable {
    public let id: UUID
    public let kind: ReportKind
    public let format: ReportFormat
    public let title: String
    public let cycleID: UUID?
    public let collectiveID: UUID?
    public let contentType: String
    public let sizeBytes: Int
    /// Lowercase hex of the content's SHA-256: the content's ETag.
    public let sha256: String
    public let jobID: UUID?
    public let createdAt: Date
    public let expiresAt: Date?
}

/// A report to store.
public struct ReportDraft: Sendable {
    public var kind: ReportKind
    public var format: ReportFormat
    public var title: String
    public var cycleID: UUID?
    public var collectiveID: UUID?
    public var content: Data
    public var jobID: UUID?

    public init(
        kind: ReportKind, format: ReportFormat, title: String, cycleID: UUID?, collectiveID: UUID?, content: Data, jobID: UUID?
    ) {
        self.kind = kind
        self.format = format
        self.title = title
        self.cycleID = cycleID
        self.collectiveID = collectiveID
        self.content = content
        self.jobID = jobID
    }
}
