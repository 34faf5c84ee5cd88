/// k-means on unit vectors with cosine similarity (spherical k-means): centroids are
/// normalised means, each vector joins the most similar centroid. Seeded with
/// k-means++ (each new seed drawn with probability growing with its distance from the
/// seeds so far), so a seed fixes the answer.
struct SphericalKMeans {
    let vectors: [SparseVector]
    let dimension: Int
    /// The same vectors in one block, for the assignment loops.
    let rows: SparseRows

    init(vectors: [SparseVector], dimension: Int) {
        self.vectors = vectors
        self.dimension = dimension
        self.rows = SparseRows(vectors)
    }

    struct Clustering {
        var centroids: [[Double]]
        var labels: [Int]
        /// Each vector's cosine with its own centroid.
        var similarities: [Double]
    }

    func run(k: Int, random: inout SeededRandom, maximumIterations: Int = 30) -> Clustering {
        let seeds = seedCentroids(k: k, random: &random)
        return refine(from: seeds, maximumIterations: maximumIterations)
    }

    /// Lloyd iterations from `centroids` until no vector changes cluster.
    func refine(from initial: [[Double]], maximumIterations: Int) -> Clustering {
        var matrix = CentroidMatrix(initial, dimension: dimension)
        var moved = false
        var labels = [Int](repeating: -1, count: vectors.count)
        var similarities = [Double](repeating: 0, count: vectors.count)
        for iteration in 0..<max(1, maximumIterations) {
            var changed = false
            // Through buffers: the arrays' uniqueness is then checked once, not per answer.
            labels.withUnsafeMutableBufferPointer { labels in
                similarities.withUnsafeMutableBufferPointer { similarities in
                    matrix.forEachRow(of: rows) { position, scores in
                        // The most similar centroid, the first of equals.
                        var best = 0
                        var similarity = -Double.infinity
                        for centroid in 0..<scores.count where scores[centroid] > similarity {
                            best = centroid
                            similarity = scores[centroid]
                        }
                        if labels[position] != best {
                            labels[position] = best
                            changed = true
                        }
                        similarities[position] = similarity
                    }
                }
            }
            // Always end on an assignment, so labels and similarities fit the centroids returned.
            if !changed || iteration == maximumIterations - 1 { break }
            matrix = means(labels: labels, count: initial.count, similarities: similarities)
            moved = true
        }
        let centroids = moved ? matrix.centroids(dimension: dimension) : initial
        return Clustering(centroids: centroids, labels: labels, similarities: similarities)
    }

    /// Normalised member sums; an empty cluster takes the vector worst served by its own.
    /// Summed straight into the term-major layout the next assignment reads.
    func means(labels: [Int], count: Int, similarities: [Double]) -> CentroidMatrix {
        var matrix = CentroidMatrix(zeros: count, dimension: dimension)
        var sizes = [Int](repeating: 0, count: count)
        matrix.withWeights { weights, stride in
            rows.withBuffers { offsets, terms, values in
                for (row, label) in labels.enumerated() {
                    sizes[label] += 1
                    for entry in offsets[row]..<offsets[row + 1] { weights[Int(terms[entry]) * stride + label] += values[entry] }
                }
            }
            var taken = Set<Int>()
            for cluster in 0..<count where sizes[cluster] == 0 {
                let loneliest = similarities.indices.filter { !taken.contains($0) }
                    .min { similarities[$0] < similarities[$1] } ?? 0
                taken.insert(loneliest)
                for (index, value) in zip(vectors[loneliest].indices, vectors[loneliest].values) {
                    weights[Int(index) * stride + cluster] = value
                }
            }
        }
        matrix.normalizeEach()
        return matrix
    }

    func seedCentroids(k: Int, random: inout SeededRandom) -> [[Double]] {
        var chosen = [random.index(below: vectors.count)]
        // Distance of each vector from its nearest seed so far: 1 − cosine.
        var distances = [Double](repeating: .infinity, count: vectors.count)
        narrow(&distances, toward: chosen[0])
        while chosen.count < min(k, vectors.count) {
            let weights = distances.map { max($0, 0) * max($0, 0) }
            let total = weights.reduce(0, +)
            var next: Int
            if total > 0 {
                var target = random.unit() * total
                next = weights.count - 1
                for (index, weight) in weights.enumerated() {
                    target -= weight
                    if target < 0 {
                        next = index
                        break
                    }
                }
            } else {
                next = random.index(below: vectors.count)
            }
            chosen.append(next)
            narrow(&distances, toward: next)
        }
        return chosen.map(dense)
    }

    private func dense(_ position: Int) -> [Double] {
        var dense = [Double](repeating: 0, count: dimension)
        for (index, value) in zip(vectors[position].indices, vectors[position].values) { dense[Int(index)] = value }
        return dense
    }

    /// Lowers each distance to the vector's distance from the seed at `position`. The
    /// seed made dense, each cosine is one pass over the vector's terms (the products
    /// with its zeros add nothing, so it equals the sparse dot product).
    private func narrow(_ distances: inout [Double], toward position: Int) {
        let seed = dense(position)
        seed.withUnsafeBufferPointer { seed in
            rows.withBuffers { offsets, terms, values in
                distances.withUnsafeMutableBufferPointer { distances in
                    for row in 0..<distances.count {
                        var cosine = 0.0
                        for entry in offsets[row]..<offsets[row + 1] { cosine += values[entry] * seed[Int(terms[entry])] }
                        distances[row] = min(distances[row], 1 - cosine)
                    }
                }
            }
        }
    }

    static func normalized(_ vector: [Double]) -> [Double] {
        let length = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return length > 0 ? vector.map { $0 / length } : vector
    }

    /// Mean simplified silhouette (with cosine distance): for each vector, a is its
    /// distance from its own centroid and b from the nearest other one; (b − a) / max(a, b).
    /// Near 1 when themes are tight and apart. Linear in vectors × k, unlike the full
    /// silhouette's all pairs.
    func simplifiedSilhouette(_ clustering: Clustering) -> Double {
        guard clustering.centroids.count > 1, !vectors.isEmpty else { return 0 }
        var total = 0.0
        CentroidMatrix(clustering.centroids, dimension: dimension).forEachRow(of: rows) { position, scores in
            let own = clustering.labels[position]
            let a = 1 - clustering.similarities[position]
            var b = Double.infinity
            for index in 0..<scores.count where index != own { b = min(b, 1 - scores[index]) }
            let scale = max(a, b)
            total += scale > 0 ? (b - a) / scale : 0
        }
        return total / Double(vectors.count)
    }
}
