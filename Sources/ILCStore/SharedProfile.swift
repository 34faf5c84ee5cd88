import Foundation

/// A collective's profile as its tenant publishes it to the network: already
/// anonymised, aggregates already suppressed below the threshold. `indicators` is the
/// JSON array the matcher's series are read from.
public struct SharedProfile: Sendable, Equatable {
    public let tenantID: UUID
    public let collectiveID: UUID
    /// The publisher's cycle; not shown to other tenants.
    public let cycleID: UUID?
    public let themeKey: String?
    public let problemOfPractice: String
    public let theoryOfAction: String
    public let indicators: String
    public let evidenceCategories: [String]
    /// The publisher's public name, when it set one (network reads only).
    public let sourceLabel: String?

    public init(
        tenantID: UUID, collectiveID: UUID, cycleID: UUID?, themeKey: String?, problemOfPractice: String, theoryOfAction: String,
        indicators: String, evidenceCategories: [String], sourceLabel: String? = nil
    ) {
        self.tenantID = tenantID
        self.collectiveID = collectiveID
        self.cycleID = cycleID
        self.themeKey = themeKey
        self.problemOfPractice = problemOfPractice
        self.theoryOfAction = theoryOfAction
        self.indicators = indicators
        self.evidenceCategories = evidenceCategories
        self.sourceLabel = sourceLabel
    }
}
