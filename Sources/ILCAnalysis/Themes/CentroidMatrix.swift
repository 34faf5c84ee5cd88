/// Centroids stored term by term (`weights[term * count + centroid]`), so one sparse
/// vector's cosines with every centroid come from one pass over its terms, reading
/// each term's centroid weights side by side. Each cosine adds the same products in
/// the same order as `SparseVector.dot(dense:)`, so the answers are the same.
struct CentroidMatrix {
    let count: Int
    private var weights: [Double]

    init(_ centroids: [[Double]], dimension: Int) {
        count = centroids.count
        weights = [Double](repeating: 0, count: dimension * centroids.count)
        for (centroid, values) in centroids.enumerated() {
            for (term, value) in values.enumerated() where value != 0 {
                weights[term * centroids.count + centroid] = value
            }
        }
    }

    /// Calls `body` for each row of `rows` with its position and its cosine with every
    /// centroid (in centroid order). The clustering's innermost loop: raw buffers, no
    /// reference counting per row.
    func forEachRow(of rows: SparseRows, _ body: (Int, UnsafeMutableBufferPointer<Double>) -> Void) {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: max(count, 1)) { scores in
            weights.withUnsafeBufferPointer { weights in
                rows.withBuffers { offsets, terms, values in
                    for row in 0..<(offsets.count - 1) {
                        scores.initialize(repeating: 0)
                        for position in offsets[row]..<offsets[row + 1] {
                            let value = values[position]
                            let base = Int(terms[position]) * count
                            for centroid in 0..<count { scores[centroid] += value * weights[base + centroid] }
                        }
                        body(row, UnsafeMutableBufferPointer(rebasing: scores[0..<count]))
                    }
                }
            }
        }
    }
}
