import Foundation
import ILCCore

/// A theme-based group of at most ten educators working through the cycle together.
public struct Collective: Sendable, Equatable {
    public let id: UUID
    public let cycleID: UUID
    public var name: String
    public var themeID: UUID?
    public var phase: CyclePhase
    public var facilitator: String?
    /// Ordered by name, so listings are stable.
    public var members: [Member]
    public let createdAt: Date
    public let updatedAt: Date

    public struct Member: Sendable, Equatable {
        public let participantID: UUID
        public let externalID: String
        public let name: String
        public let role: ParticipantRole
        public let district: String
        public let school: String?
        /// Placed by a facilitator: the next group formation keeps it.
        public let locked: Bool
    }
}
