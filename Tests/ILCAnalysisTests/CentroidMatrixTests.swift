import Testing

@testable import ILCAnalysis

@Suite struct CentroidMatrixTests {
    /// Random sparse unit rows and dense centroids over `dimension` terms.
    private static func fixture(centroids count: Int, dimension: Int = 40, rows: Int = 30, seed: UInt64)
        -> ([SparseVector], [[Double]])
    {
        var random = SeededRandom(seed: seed)
        let vectors = (0..<rows).map { _ in
            let terms = Set((0..<(1 + random.index(below: 9))).map { _ in random.index(below: dimension) })
            return SparseVector(entries: terms.sorted().map { (index: $0, value: random.unit() + 0.01) }).normalized()
        }
        let centroids = (0..<count).map { _ in (0..<dimension).map { _ in random.index(below: 3) == 0 ? 0 : random.unit() } }
        return (vectors, centroids)
    }

    /// Every number of centroids from 1 to 21 (each way the cosines are grouped four
    /// blocks, three, two or one at a time): each cosine is the vector's dot product
    /// with the centroid, to the bit.
    @Test(arguments: 1...21)
    func cosinesAreTheDotProductsToTheBit(count: Int) {
        let (vectors, centroids) = Self.fixture(centroids: count, seed: UInt64(count))
        var seen = 0
        CentroidMatrix(centroids, dimension: 40).forEachRow(of: SparseRows(vectors)) { row, scores in
            #expect(scores.count == count)
            for centroid in 0..<count {
                #expect(scores[centroid].bitPattern == vectors[row].dot(dense: centroids[centroid]).bitPattern)
            }
            seen += 1
        }
        #expect(seen == vectors.count)
    }

    /// Normalising in place gives what normalising each centroid alone gives, to the
    /// bit; an all-zero centroid stays all zeros.
    @Test(arguments: [1, 3, 6, 13])
    func normalizingMatchesEachCentroidAlone(count: Int) {
        var (_, centroids) = Self.fixture(centroids: count, seed: 99 + UInt64(count))
        centroids[count / 2] = [Double](repeating: 0, count: 40)
        var matrix = CentroidMatrix(centroids, dimension: 40)
        matrix.normalizeEach()
        let normalized = matrix.centroids(dimension: 40)
        for (index, centroid) in centroids.enumerated() {
            #expect(normalized[index].map(\.bitPattern) == SphericalKMeans.normalized(centroid).map(\.bitPattern))
        }
        #expect(normalized[count / 2].allSatisfy { $0 == 0 })
    }
}
