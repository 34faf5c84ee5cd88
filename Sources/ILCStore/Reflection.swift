import Foundation
import ILCCore

/// What a collective learned in a phase.
public struct Reflection: Sendable, Equatable {
    public let id: UUID
    public let collectiveID: UUID
    public let phase: CyclePhase
    public let wentWell: String
    public let didNotGoWell: String
    public let nextSteps: String
    public let authorParticipantID: UUID?
    public let createdAt: Date
}
