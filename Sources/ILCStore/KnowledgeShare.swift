import Foundation

/// A suggestion as its (target) tenant reads it. Another tenant's source is shown only
/// by its label: neither that tenant's nor its collective's id.
public struct KnowledgeShare: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case suggested, accepted, dismissed
    }

    public let id: UUID
    public let targetCollectiveID: UUID
    /// Nil when the source is another tenant's.
    public let sourceCollectiveID: UUID?
    public let sourceLabel: String?
    public let crossTenant: Bool
    public let score: Double
    public let status: Status
    /// A JSON object.
    public let reasons: String
    public let createdAt: Date
    public let updatedAt: Date
}
