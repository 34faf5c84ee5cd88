/// Centroids stored term by term (`weights[term * stride + centroid]`, each term's row
/// padded with zeros to a multiple of four), so one sparse vector's cosines with every
/// centroid come from one pass over its terms, four centroids at a time. Each cosine
/// adds the same products in the same order as `SparseVector.dot(dense:)` (the lanes of
/// a SIMD sum are independent, and Swift fuses no multiply into an add), so the answers
/// are the same to the bit.
struct CentroidMatrix {
    let count: Int
    /// Centroids per term row: `count` rounded up to a multiple of 4.
    private let stride: Int
    private var weights: [Double]

    init(_ centroids: [[Double]], dimension: Int) {
        self.init(zeros: centroids.count, dimension: dimension)
        for (centroid, values) in centroids.enumerated() {
            for (term, value) in values.enumerated() where value != 0 {
                weights[term * stride + centroid] = value
            }
        }
    }

    /// `count` centroids of all zeros, to be filled through `withWeights`.
    init(zeros count: Int, dimension: Int) {
        self.count = count
        stride = (count + 3) / 4 * 4
        weights = [Double](repeating: 0, count: dimension * stride)
    }

    /// The weights as a buffer (`term * stride + centroid`) and the stride.
    mutating func withWeights<Result>(_ body: (UnsafeMutableBufferPointer<Double>, Int) -> Result) -> Result {
        let stride = stride
        return weights.withUnsafeMutableBufferPointer { body($0, stride) }
    }

    /// Scales each centroid to length 1 (an all-zero one stays), adding the squares in
    /// term order and dividing as `SphericalKMeans.normalized` does, so the result is
    /// the same to the bit.
    mutating func normalizeEach() {
        let (count, stride) = (count, stride)
        weights.withUnsafeMutableBufferPointer { weights in
            var lengths = [Double](repeating: 0, count: count)
            for row in Swift.stride(from: 0, to: weights.count, by: stride) {
                for centroid in 0..<count { lengths[centroid] += weights[row + centroid] * weights[row + centroid] }
            }
            for centroid in 0..<count { lengths[centroid] = lengths[centroid].squareRoot() }
            for row in Swift.stride(from: 0, to: weights.count, by: stride) {
                for centroid in 0..<count where lengths[centroid] > 0 { weights[row + centroid] /= lengths[centroid] }
            }
        }
    }

    /// The centroids as dense vectors over `dimension` terms.
    func centroids(dimension: Int) -> [[Double]] {
        (0..<count).map { centroid in (0..<dimension).map { term in weights[term * stride + centroid] } }
    }

    /// Calls `body` for each row of `rows` with its position and its cosine with every
    /// centroid (in centroid order). The clustering's innermost loop: raw buffers, no
    /// reference counting per row, four centroids per instruction.
    func forEachRow(of rows: SparseRows, _ body: (Int, UnsafeMutableBufferPointer<Double>) -> Void) {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: max(stride, 4)) { scores in
            weights.withUnsafeBufferPointer { weights in
                guard let base = weights.baseAddress else {
                    // No centroids or no terms: every cosine is 0.
                    scores.initialize(repeating: 0)
                    for row in 0..<(rows.offsets.count - 1) { body(row, UnsafeMutableBufferPointer(rebasing: scores[0..<count])) }
                    return
                }
                let matrix = UnsafeRawPointer(base)
                rows.withBuffers { offsets, terms, values in
                    for row in 0..<(offsets.count - 1) {
                        for block in Swift.stride(from: 0, to: stride, by: 4) {
                            var sums = SIMD4<Double>()
                            for position in offsets[row]..<offsets[row + 1] {
                                let offset = (Int(terms[position]) * stride + block) * MemoryLayout<Double>.stride
                                sums += SIMD4(repeating: values[position]) * matrix.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                            }
                            for lane in 0..<4 { scores[block + lane] = sums[lane] }
                        }
                        body(row, UnsafeMutableBufferPointer(rebasing: scores[0..<count]))
                    }
                }
            }
        }
    }
}
