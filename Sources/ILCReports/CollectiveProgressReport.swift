/// Collective progress: the placemat, each indicator against its baseline and target
/// with a chart over time, the evidence by Bernhardt's four categories, the
/// collective's reflections and the knowledge shares it received.
public struct CollectiveProgressReport: Sendable {
    public struct Observation: Sendable, Equatable {
        public var date: String
        public var value: Double
        public var sampleSize: Int?

        public init(date: String, value: Double, sampleSize: Int?) {
            self.date = date
            self.value = value
            self.sampleSize = sampleSize
        }
    }

    public struct Indicator: Sendable, Equatable {
        public var name: String
        /// leading or lagging.
        public var kind: String
        public var decreaseIsProgress: Bool
        public var baseline: Double?
        public var baselineOn: String?
        public var target: Double?
        /// Oldest first.
        public var observations: [Observation]

        public init(
            name: String, kind: String, decreaseIsProgress: Bool, baseline: Double?, baselineOn: String?, target: Double?,
            observations: [Observation]
        ) {
            self.name = name
            self.kind = kind
            self.decreaseIsProgress = decreaseIsProgress
            self.baseline = baseline
            self.baselineOn = baselineOn
            self.target = target
            self.observations = observations
        }
    }

    public struct Evidence: Sendable, Equatable {
        public var observedOn: String
        /// An `EvidenceCategory` raw value.
        public var category: String
        public var indicator: String
        public var value: Double?
        public var sampleSize: Int?
        public var summary: String

        public init(observedOn: String, category: String, indicator: String, value: Double?, sampleSize: Int?, summary: String) {
            self.observedOn = observedOn
            self.category = category
            self.indicator = indicator
            self.value = value
            self.sampleSize = sampleSize
            self.summary = summary
        }
    }

    public struct Reflection: Sendable, Equatable {
        public var date: String
        public var phase: String
        public var wentWell: String
        public var didNotGoWell: String
        public var adjustments: String

        public init(date: String, phase: String, wentWell: String, didNotGoWell: String, adjustments: String) {
            self.date = date
            self.phase = phase
            self.wentWell = wentWell
            self.didNotGoWell = didNotGoWell
            self.adjustments = adjustments
        }
    }

    public struct Share: Sendable, Equatable {
        public var source: String
        public var score: Double
        public var status: String
        public var sharedTheme: String?

        public init(source: String, score: Double, status: String, sharedTheme: String?) {
            self.source = source
            self.score = score
            self.status = status
            self.sharedTheme = sharedTheme
        }
    }

    public var cycle: String
    public var collective: String
    public var theme: String?
    public var phase: String
    public var problemOfPractice: String
    public var theoryOfAction: String
    public var indicators: [Indicator]
    public var evidence: [Evidence]
    public var reflections: [Reflection]
    public var shares: [Share]

    public init(
        cycle: String, collective: String, theme: String?, phase: String, problemOfPractice: String, theoryOfAction: String,
        indicators: [Indicator], evidence: [Evidence], reflections: [Reflection], shares: [Share]
    ) {
        self.cycle = cycle
        self.collective = collective
        self.theme = theme
        self.phase = phase
        self.problemOfPractice = problemOfPractice
        self.theoryOfAction = theoryOfAction
        self.indicators = indicators
        self.evidence = evidence
        self.reflections = reflections
        self.shares = shares
    }

    public func document(generatedAt: String, suppressionThreshold: Int) -> ReportDocument {
        ReportDocument(
            kind: .collectiveProgress, title: "\(collective): progress report", subtitle: "Cycle “\(cycle)”",
            generatedAt: generatedAt, suppressionThreshold: suppressionThreshold,
            sections: [placematSection, indicatorSection(threshold: suppressionThreshold), evidenceSection, reflectionSection, shareSection])
    }

    private var placematSection: ReportSection {
        var facts = [ReportSection.Fact("Phase", ReportWording.phase(phase))]
        if let theme { facts.insert(.init("Theme", theme), at: 0) }
        facts.append(.init("Problem of practice", problemOfPractice.isEmpty ? "Not written yet." : problemOfPractice))
        facts.append(.init("Theory of action", theoryOfAction.isEmpty ? "Not written yet." : theoryOfAction))
        return ReportSection(id: "placemat", heading: "Inquiry placemat", facts: facts)
    }
}
