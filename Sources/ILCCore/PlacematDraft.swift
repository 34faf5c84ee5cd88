import Foundation

/// The Collaborative Inquiry Placemat as a collective writes it: what they are working
/// on, why they believe their plan will work, and how they will know.
public struct PlacematDraft: Sendable, Hashable {
    public var problemOfPractice: String
    public var priorities: [String]
    public var theoryOfAction: String
    /// In the order the collective lists them.
    public var indicators: [IndicatorDraft]

    public init(problemOfPractice: String = "", priorities: [String] = [], theoryOfAction: String = "", indicators: [IndicatorDraft] = []) {
        self.problemOfPractice = problemOfPractice
        self.priorities = priorities
        self.theoryOfAction = theoryOfAction
        self.indicators = indicators
    }
}

/// One measure on a placemat. `id` names an existing indicator to keep (with its
/// evidence); nil adds a new one.
public struct IndicatorDraft: Sendable, Hashable {
    public enum Direction: String, Sendable, Hashable, CaseIterable {
        case increase
        case decrease
    }

    public var id: UUID?
    public var name: String
    public var kind: IndicatorKind
    public var description: String
    public var category: EvidenceCategory?
    public var unit: String?
    /// Which way is better.
    public var direction: Direction
    public var baseline: Double?
    /// Calendar dates, `YYYY-MM-DD`.
    public var baselineOn: String?
    public var target: Double?
    public var targetOn: String?

    public init(
        id: UUID? = nil, name: String, kind: IndicatorKind, description: String = "", category: EvidenceCategory? = nil,
        unit: String? = nil, direction: Direction = .increase, baseline: Double? = nil, baselineOn: String? = nil,
        target: Double? = nil, targetOn: String? = nil
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.description = description
        self.category = category
        self.unit = unit
        self.direction = direction
        self.baseline = baseline
        self.baselineOn = baselineOn
        self.target = target
        self.targetOn = targetOn
    }
}
