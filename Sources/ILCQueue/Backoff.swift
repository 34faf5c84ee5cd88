/// Exponential backoff with full jitter: a random delay between zero and
/// `base · 2^(attempt−1)`, capped, so retries of many failed jobs spread out
/// instead of returning together.
struct Backoff: Sendable {
    let base: Duration
    let cap: Duration

    func delay(afterAttempt attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(base.milliseconds * (Int64(1) << exponent), cap.milliseconds)
        guard ceiling > 0 else { return .zero }
        return .milliseconds(Int64.random(in: 0...ceiling, using: &generator))
    }
}
