/// Sparse vectors in one block (compressed rows): row r's terms and values are at
/// `offsets[r]..<offsets[r + 1]`.
struct SparseRows {
    let offsets: [Int]
    let terms: [Int32]
    let values: [Double]

    init(_ vectors: [SparseVector]) {
        var offsets = [0]
        offsets.reserveCapacity(vectors.count + 1)
        let total = vectors.reduce(0) { $0 + $1.indices.count }
        var terms: [Int32] = []
        var values: [Double] = []
        terms.reserveCapacity(total)
        values.reserveCapacity(total)
        for vector in vectors {
            terms += vector.indices
            values += vector.values
            offsets.append(terms.count)
        }
        self.offsets = offsets
        self.terms = terms
        self.values = values
    }

    /// The three arrays as buffers, for loops that must not count references per row.
    func withBuffers<Result>(
        _ body: (UnsafeBufferPointer<Int>, UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Double>) -> Result
    ) -> Result {
        offsets.withUnsafeBufferPointer { offsets in
            terms.withUnsafeBufferPointer { terms in
                values.withUnsafeBufferPointer { values in body(offsets, terms, values) }
            }
        }
    }
}
