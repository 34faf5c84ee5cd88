import Foundation

/// Term weights learnt from a corpus: TF-IDF with sublinear term frequency (1 + ln tf),
/// smoothed inverse document frequency (ln((1 + n) / (1 + df)) + 1) and L2-normalised
/// vectors, so cosine similarity is a dot product. Terms are numbered in sorted order,
/// so the same corpus always gives the same model.
public struct TFIDFModel: Sendable {
    public let terms: [String]
    public let index: [String: Int]
    public let inverseDocumentFrequency: [Double]
    public let documentCount: Int

    /// `documents` as term lists (`TermExtractor.terms`). Terms in fewer than
    /// `minimumDocuments` documents, or in more than `maximumDocumentShare` of them,
    /// are left out: the first are noise, the second say nothing about a theme.
    public init(documents: [[String]], minimumDocuments: Int = 1, maximumDocumentShare: Double = 1) {
        var frequency: [String: Int] = [:]
        for document in documents {
            for term in Set(document) { frequency[term, default: 0] += 1 }
        }
        let ceiling = maximumDocumentShare * Double(documents.count)
        let kept = frequency.filter { $0.value >= minimumDocuments && Double($0.value) <= ceiling }.keys.sorted()
        self.init(terms: kept, documentFrequencies: kept.map { frequency[$0] ?? 0 }, documentCount: documents.count)
    }

    /// A model of `terms` (sorted) found in `documentFrequencies[i]` of
    /// `documentCount` documents: what `init(documents:…)` makes from their counts.
    init(terms: [String], documentFrequencies: [Int], documentCount: Int) {
        self.terms = terms
        index = Dictionary(uniqueKeysWithValues: terms.enumerated().map { ($1, $0) })
        self.documentCount = documentCount
        let count = Double(documentCount)
        inverseDocumentFrequency = documentFrequencies.map { log((1 + count) / (1 + Double($0))) + 1 }
    }

    /// The document's unit vector (empty when none of its terms are known).
    public func vector(_ document: [String]) -> SparseVector {
        var positions = document.compactMap { index[$0] }
        return vector(sortingPositions: &positions)
    }

    /// The unit vector of a document given as its known terms' positions, which it
    /// sorts in place.
    func vector(sortingPositions positions: inout [Int]) -> SparseVector {
        // Positions sorted, then counted in runs: no hashing per term. Both arrays are
        // made once at their largest size and normalised in place: a corpus makes one
        // vector per answer.
        Self.sortInPlace(&positions)
        var indices: [Int32] = []
        var values: [Double] = []
        indices.reserveCapacity(positions.count)
        values.reserveCapacity(positions.count)
        var start = 0
        while start < positions.count {
            var end = start + 1
            while end < positions.count, positions[end] == positions[start] { end += 1 }
            indices.append(Int32(positions[start]))
            values.append((1 + log(Double(end - start))) * inverseDocumentFrequency[positions[start]])
            start = end
        }
        var vector = SparseVector(sortedIndices: indices, values: values)
        vector.normalize()
        return vector
    }

    /// An answer has a few dozen terms: insertion sort, in place, beats a general sort
    /// there; longer documents get the general one.
    private static func sortInPlace(_ positions: inout [Int]) {
        guard positions.count <= 64 else { return positions.sort() }
        positions.withUnsafeMutableBufferPointer { positions in
            for end in positions.indices.dropFirst() {
                let moving = positions[end]
                var slot = end
                while slot > 0, positions[slot - 1] > moving {
                    positions[slot] = positions[slot - 1]
                    slot -= 1
                }
                positions[slot] = moving
            }
        }
    }
}
