import Foundation
import ILCCore

/// A stored intake survey response with the participant who gave it.
public struct SurveyResponse: Sendable, Equatable {
    public let id: UUID
    public let cycleID: UUID
    public let participantID: UUID
    public let participant: ParticipantDraft
    public let focusStatement: String
    public let improvementGoals: [String]
    public let themePreferences: [String]
    public let submittedAt: Date
    public let createdAt: Date
    public let updatedAt: Date
}

/// Which responses a listing returns; nil matches everything.
public struct SurveyResponseFilter: Sendable, Equatable {
    public var role: ParticipantRole?
    public var district: String?
    public var school: String?
    public var region: String?
    public var externalID: String?

    public init(
        role: ParticipantRole? = nil, district: String? = nil, school: String? = nil, region: String? = nil,
        externalID: String? = nil
    ) {
        self.role = role
        self.district = district
        self.school = school
        self.region = region
        self.externalID = externalID
    }
}
