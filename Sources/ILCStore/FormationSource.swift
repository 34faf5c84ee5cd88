import Foundation
import ILCCore

/// What group formation reads of a cycle: its settings, the themes to form around
/// (the approved ones when facilitators approved any), every participant with an
/// intake response, and the facilitators' locked placements.
public struct FormationSource: Sendable {
    public struct Participant: Sendable {
        public let id: UUID
        public let role: String
        public let district: String
        public let region: String?
        public let timeZone: String?
        /// As sent with the intake: theme ids, catalog keys or labels, most wanted first.
        public let preferences: [String]
        /// The theme detection put the response in, if any.
        public let detectedThemeID: UUID?
    }

    public struct ThemeChoice: Sendable {
        public let id: UUID
        public let label: String
        public let catalogKey: String?
    }

    /// A collective holding members a facilitator placed: it stays, with them.
    public struct LockedCollective: Sendable {
        public let id: UUID
        public let themeID: UUID?
        public let members: [UUID]
    }

    public let cycle: Cycle
    public let themes: [ThemeChoice]
    public let participants: [Participant]
    public let lockedCollectives: [LockedCollective]
}

/// The collectives a group formation run decided on, to store in place of the last run's.
public struct FormationPlan: Sendable {
    public struct PlannedCollective: Sendable {
        public let id: UUID
        public let themeID: UUID
        public let name: String
        public let members: [UUID]

        public init(id: UUID, themeID: UUID, name: String, members: [UUID]) {
            self.id = id
            self.themeID = themeID
            self.name = name
            self.members = members
        }
    }

    public let collectives: [PlannedCollective]
    /// The locked collectives the plan was made from: if the locks changed meanwhile, the
    /// plan is stale and refused.
    public let lockedCollectives: [FormationSource.LockedCollective]

    public init(collectives: [PlannedCollective], lockedCollectives: [FormationSource.LockedCollective]) {
        self.collectives = collectives
        self.lockedCollectives = lockedCollectives
    }
}
