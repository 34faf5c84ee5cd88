import Foundation
import ILCCore

/// One cohort run of the six-phase ILC cycle (for example "2026–27 statewide").
public struct Cycle: Sendable, Equatable {
    public let id: UUID
    public var name: String
    public var phase: CyclePhase
    /// Calendar dates, `YYYY-MM-DD`.
    public var startsOn: String?
    public var endsOn: String?
    public var settings: CycleSettings
    public let createdAt: Date
    public let updatedAt: Date
}
