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
        let (stride, blocks) = (stride, stride / 4)
        weights.withUnsafeMutableBufferPointer { weights in
            guard let base = weights.baseAddress else { return }
            let matrix = UnsafeMutableRawPointer(base)
            // Four centroids per instruction; each centroid's squares still add up term
            // by term, and a lane's division is the same division.
            withUnsafeTemporaryAllocation(of: SIMD4<Double>.self, capacity: max(blocks, 1)) { lengths in
                lengths.initialize(repeating: SIMD4())
                for row in Swift.stride(from: 0, to: weights.count, by: stride) {
                    for block in 0..<blocks {
                        let offset = (row + block * 4) * MemoryLayout<Double>.stride
                        let weight = matrix.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                        lengths[block] += weight * weight
                    }
                }
                for block in 0..<blocks {
                    // An all-zero centroid (and the padding) is divided by 1: it stays as it is.
                    let length = lengths[block].squareRoot()
                    lengths[block] = length.replacing(with: 1, where: length .== 0)
                }
                for row in Swift.stride(from: 0, to: weights.count, by: stride) {
                    for block in 0..<blocks {
                        let offset = (row + block * 4) * MemoryLayout<Double>.stride
                        let weight = matrix.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                        matrix.storeBytes(of: weight / lengths[block], toByteOffset: offset, as: SIMD4<Double>.self)
                    }
                }
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
                        let entries = offsets[row]..<offsets[row + 1]
                        // Up to four blocks of four centroids per pass over the terms: their
                        // sums are independent, so the processor adds them side by side
                        // instead of waiting on one sum at a time. Each call names its count
                        // as a constant, so `sum` is compiled once per count, with no tests
                        // left in its loop.
                        var block = 0
                        while block < stride {
                            switch (stride - block) / 4 {
                            case 4...:
                                Self.sum(blocks: 4, from: block, entries, terms, values, matrix, stride, into: scores)
                                block += 16
                            case 3:
                                Self.sum(blocks: 3, from: block, entries, terms, values, matrix, stride, into: scores)
                                block += 12
                            case 2:
                                Self.sum(blocks: 2, from: block, entries, terms, values, matrix, stride, into: scores)
                                block += 8
                            default:
                                Self.sum(blocks: 1, from: block, entries, terms, values, matrix, stride, into: scores)
                                block += 4
                            }
                        }
                        body(row, UnsafeMutableBufferPointer(rebasing: scores[0..<count]))
                    }
                }
            }
        }
    }

    /// Cosines of one row with `blocks` (1 to 4) blocks of four centroids from
    /// `first`, in one pass over its terms. Each centroid's sum still adds its products
    /// term by term in order, so the result is the same to the bit as block by block.
    @inline(__always)
    private static func sum(
        blocks: Int, from first: Int, _ entries: Range<Int>, _ terms: UnsafeBufferPointer<Int32>,
        _ values: UnsafeBufferPointer<Double>, _ matrix: UnsafeRawPointer, _ stride: Int,
        into scores: UnsafeMutableBufferPointer<Double>
    ) {
        let block = 4 * MemoryLayout<Double>.stride
        var sums = (SIMD4<Double>(), SIMD4<Double>(), SIMD4<Double>(), SIMD4<Double>())
        for position in entries {
            let value = SIMD4(repeating: values[position])
            let offset = (Int(terms[position]) * stride + first) * MemoryLayout<Double>.stride
            sums.0 += value * matrix.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
            if blocks >= 2 {
                sums.1 += value * matrix.loadUnaligned(fromByteOffset: offset + block, as: SIMD4<Double>.self)
            }
            if blocks >= 3 {
                sums.2 += value * matrix.loadUnaligned(fromByteOffset: offset + 2 * block, as: SIMD4<Double>.self)
            }
            if blocks >= 4 {
                sums.3 += value * matrix.loadUnaligned(fromByteOffset: offset + 3 * block, as: SIMD4<Double>.self)
            }
        }
        for lane in 0..<4 { scores[first + lane] = sums.0[lane] }
        if blocks >= 2 { for lane in 0..<4 { scores[first + 4 + lane] = sums.1[lane] } }
        if blocks >= 3 { for lane in 0..<4 { scores[first + 8 + lane] = sums.2[lane] } }
        if blocks >= 4 { for lane in 0..<4 { scores[first + 12 + lane] = sums.3[lane] } }
    }
}
