import Foundation

/// What erasing one participant removed: the receipt a tenant keeps for its records.
public struct ParticipantErasure: Sendable, Equatable {
    public let participantID: UUID
    public let externalID: String
    /// Their intake answers, in every cycle (with their theme assignments).
    public let surveyResponses: Int
    /// Their places in collectives.
    public let memberships: Int
    /// Representative quotes of themes that came from their answers.
    public let quotes: Int
    /// Reflections they wrote, kept as the collective's without an author.
    public let reflectionsUnattributed: Int
    public let erasedAt: Date
}
