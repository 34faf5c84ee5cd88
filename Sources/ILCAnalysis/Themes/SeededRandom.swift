import ILCCore

/// Draws for the clustering from a seed, with its own formulas rather than the
/// standard library's `random(in:using:)`, whose method may change between Swift
/// releases: the same seed must give the same themes everywhere.
struct SeededRandom {
    private var generator: SplitMixRandom

    init(seed: UInt64) {
        generator = SplitMixRandom(seed: seed)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double {
        Double(generator.next() >> 11) * 0x1p-53
    }

    /// Uniform in 0..<count.
    mutating func index(below count: Int) -> Int {
        min(Int(unit() * Double(count)), count - 1)
    }

    /// Fisher–Yates with this generator's own draws.
    mutating func shuffle<Element>(_ elements: inout [Element]) {
        guard elements.count > 1 else { return }
        for position in stride(from: elements.count - 1, to: 0, by: -1) {
            elements.swapAt(position, index(below: position + 1))
        }
    }
}
