/// How far an indicator moved: from its baseline to its latest value, toward its target's
/// direction, with the sample behind the latest value and the dates.
public struct IndicatorImpact: Sendable, Equatable {
    public var indicatorID: String
    public var name: String
    public var baseline: Double
    public var baselineOn: String?
    public var latest: Double
    public var latestOn: String
    public var target: Double?
    /// Positive: moved the way the indicator should move.
    public var change: Double
    /// The share of the way to the target covered (the relative change when no target
    /// is set), between −1 and 1.
    public var progress: Double
    /// The sample behind the latest value (0 when not recorded).
    public var sampleSize: Int

    /// Nil when the series has no value after its baseline.
    public init?(_ series: IndicatorSeries) {
        let observations = series.observations.sorted { $0.date < $1.date }
        guard let last = observations.last else { return nil }
        let start: (value: Double, date: String?)
        if let baseline = series.baseline {
            start = (baseline, series.baselineOn)
            if let baselineOn = series.baselineOn, last.date <= baselineOn { return nil }
        } else {
            guard observations.count >= 2, let first = observations.first else { return nil }
            start = (first.value, first.date)
        }
        let sign = series.direction == .increase ? 1.0 : -1.0
        let change = (last.value - start.value) * sign
        let span = series.target.map { ($0 - start.value) * sign } ?? 0
        let scale = span > 0 ? span : max(abs(start.value), 1e-9)
        indicatorID = series.id
        name = series.name
        baseline = start.value
        baselineOn = start.date
        latest = last.value
        latestOn = last.date
        target = series.target
        self.change = change
        progress = min(1, max(-1, change / scale))
        sampleSize = last.sampleSize ?? 0
    }

    /// A collective's evidence of impact: the progress of its best-moving indicator
    /// (0 when none moved the right way).
    public static func score(of impacts: [IndicatorImpact]) -> Double {
        max(0, impacts.map(\.progress).max() ?? 0)
    }
}
