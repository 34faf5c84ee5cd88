/// How far an indicator has come: the share of the way from baseline to target its
/// latest value has gone (negative: the wrong way), or the relative change toward its
/// direction when it has no target. nil without a baseline or a value.
public enum IndicatorProgress {
    public static func of(baseline: Double?, target: Double?, latest: Double?, decreaseIsProgress: Bool) -> Double? {
        guard let baseline, let latest else { return nil }
        if let target, target != baseline {
            return (latest - baseline) / (target - baseline)
        }
        guard baseline != 0 else { return nil }
        return (decreaseIsProgress ? -1.0 : 1.0) * (latest - baseline) / abs(baseline)
    }
}
