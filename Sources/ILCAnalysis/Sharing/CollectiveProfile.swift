import ILCCore

/// What knowledge sharing knows of a collective: its tenant, theme, placemat (problem of
/// practice, theory of action, indicators with their evidence over time) and the
/// evidence categories it collects.
public struct CollectiveProfile: Sendable, Equatable {
    public var id: String
    public var tenant: String
    /// The theme's catalog key when it has one (the same across tenants), else its label.
    public var theme: String?
    public var problemOfPractice: String
    public var theoryOfAction: String
    public var indicators: [IndicatorSeries]
    public var evidenceCategories: Set<EvidenceCategory>

    public init(
        id: String, tenant: String, theme: String?, problemOfPractice: String, theoryOfAction: String,
        indicators: [IndicatorSeries] = [], evidenceCategories: Set<EvidenceCategory> = []
    ) {
        self.id = id
        self.tenant = tenant
        self.theme = theme
        self.problemOfPractice = problemOfPractice
        self.theoryOfAction = theoryOfAction
        self.indicators = indicators
        self.evidenceCategories = evidenceCategories
    }
}

/// One indicator of a placemat with the values its evidence recorded.
public struct IndicatorSeries: Sendable, Equatable {
    public enum Direction: String, Sendable {
        case increase, decrease
    }

    public struct Observation: Sendable, Equatable {
        /// A calendar date, YYYY-MM-DD (sorts as text).
        public var date: String
        public var value: Double
        /// How many students, staff or families the value is about.
        public var sampleSize: Int?

        public init(date: String, value: Double, sampleSize: Int? = nil) {
            self.date = date
            self.value = value
            self.sampleSize = sampleSize
        }
    }

    public var id: String
    public var name: String
    public var direction: Direction
    public var baseline: Double?
    public var baselineOn: String?
    public var target: Double?
    public var observations: [Observation]

    public init(
        id: String, name: String, direction: Direction = .increase, baseline: Double? = nil, baselineOn: String? = nil,
        target: Double? = nil, observations: [Observation] = []
    ) {
        self.id = id
        self.name = name
        self.direction = direction
        self.baseline = baseline
        self.baselineOn = baselineOn
        self.target = target
        self.observations = observations
    }
}
