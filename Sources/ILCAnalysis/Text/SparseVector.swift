/// A vector stored as its non-zero entries, indices ascending.
public struct SparseVector: Sendable, Equatable {
    public private(set) var indices: [Int32]
    public private(set) var values: [Double]

    /// `entries` in any order; repeated indices add up, zeros are dropped.
    public init(entries: [(index: Int, value: Double)]) {
        var merged: [Int: Double] = [:]
        for entry in entries { merged[entry.index, default: 0] += entry.value }
        let sorted = merged.filter { $0.value != 0 }.sorted { $0.key < $1.key }
        indices = sorted.map { Int32($0.key) }
        values = sorted.map(\.value)
    }

    /// Already sorted, distinct indices with their values.
    init(sortedIndices: [Int32], values: [Double]) {
        self.indices = sortedIndices
        self.values = values
    }

    public var isEmpty: Bool { indices.isEmpty }

    public var norm: Double {
        values.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }

    /// Scaled to length 1 (unchanged when all zero).
    public func normalized() -> SparseVector {
        var copy = self
        copy.normalize()
        return copy
    }

    /// `normalized()` in place: no second array for a vector that is made to be scaled.
    public mutating func normalize() {
        let length = norm
        guard length > 0 else { return }
        for position in values.indices { values[position] /= length }
    }

    public func dot(_ other: SparseVector) -> Double {
        var (left, right, sum) = (0, 0, 0.0)
        while left < indices.count, right < other.indices.count {
            let (a, b) = (indices[left], other.indices[right])
            if a == b {
                sum += values[left] * other.values[right]
                left += 1
                right += 1
            } else if a < b {
                left += 1
            } else {
                right += 1
            }
        }
        return sum
    }

    /// Cosine similarity: 0 when either vector is all zero.
    public func cosine(_ other: SparseVector) -> Double {
        let lengths = norm * other.norm
        return lengths > 0 ? dot(other) / lengths : 0
    }

    /// The dot product with a dense vector (a centroid).
    public func dot(dense: [Double]) -> Double {
        // The clustering's innermost loop: buffer pointers, no per-element array checks.
        dense.withUnsafeBufferPointer { dense in
            indices.withUnsafeBufferPointer { indices in
                values.withUnsafeBufferPointer { values in
                    var sum = 0.0
                    for position in 0..<indices.count { sum += values[position] * dense[Int(indices[position])] }
                    return sum
                }
            }
        }
    }
}
