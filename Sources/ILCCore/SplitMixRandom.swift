/// A fast, seeded pseudo-random generator (SplitMix64) for values that must be
/// unique but need not be secret, such as the random half of job ids. Seed it from
/// the system generator once per batch instead of making a system call per value.
/// Never use it for secrets: API keys use `SystemRandomNumberGenerator`.
public struct SplitMixRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// Seeded from the system's cryptographically secure generator.
    public init() {
        var system = SystemRandomNumberGenerator()
        self.init(seed: system.next())
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
