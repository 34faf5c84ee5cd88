import Foundation

/// One validated intake survey response, ready to store.
public struct SurveyResponseDraft: Sendable, Hashable {
    public var participant: ParticipantDraft
    /// What the educator wants to work on, in their own words: theme detection reads it.
    public var focusStatement: String
    public var improvementGoals: [String]
    /// Ranked, most wanted first: catalog themes or theme ids.
    public var themePreferences: [String]
    /// When the educator answered; the time it was received when not given.
    public var submittedAt: Date?

    public init(
        participant: ParticipantDraft, focusStatement: String, improvementGoals: [String] = [],
        themePreferences: [String] = [], submittedAt: Date? = nil
    ) {
        self.participant = participant
        self.focusStatement = focusStatement
        self.improvementGoals = improvementGoals
        self.themePreferences = themePreferences
        self.submittedAt = submittedAt
    }
}
