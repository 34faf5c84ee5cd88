/// k-means on unit vectors with cosine similarity (spherical k-means): centroids are
/// normalised means, each vector joins the most similar centroid. Seeded with
/// k-means++ (each new seed drawn with probability growing with its distance from the
/// seeds so far), so a seed fixes the answer.
struct SphericalKMeans {
    let vectors: [SparseVector]
    let dimension: Int

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
        var centroids = initial
        var labels = [Int](repeating: -1, count: vectors.count)
        var similarities = [Double](repeating: 0, count: vectors.count)
        for iteration in 0..<max(1, maximumIterations) {
            var changed = false
            for (position, vector) in vectors.enumerated() {
                let (best, similarity) = nearest(vector, among: centroids)
                if labels[position] != best {
                    labels[position] = best
                    changed = true
                }
                similarities[position] = similarity
            }
            // Always end on an assignment, so labels and similarities fit the centroids returned.
            if !changed || iteration == maximumIterations - 1 { break }
            centroids = means(labels: labels, count: centroids.count, similarities: similarities)
        }
        return Clustering(centroids: centroids, labels: labels, similarities: similarities)
    }

    func nearest(_ vector: SparseVector, among centroids: [[Double]]) -> (Int, Double) {
        var best = 0
        var bestSimilarity = -Double.infinity
        for (index, centroid) in centroids.enumerated() {
            let similarity = vector.dot(dense: centroid)
            if similarity > bestSimilarity {
                best = index
                bestSimilarity = similarity
            }
        }
        return (best, bestSimilarity)
    }

    /// Normalised member sums; an empty cluster takes the vector worst served by its own.
    func means(labels: [Int], count: Int, similarities: [Double]) -> [[Double]] {
        var sums = [[Double]](repeating: [Double](repeating: 0, count: dimension), count: count)
        var sizes = [Int](repeating: 0, count: count)
        for (position, vector) in vectors.enumerated() {
            let label = labels[position]
            sizes[label] += 1
            for (index, value) in zip(vector.indices, vector.values) { sums[label][Int(index)] += value }
        }
        var taken = Set<Int>()
        for cluster in 0..<count where sizes[cluster] == 0 {
            let loneliest = similarities.indices.filter { !taken.contains($0) }.min { similarities[$0] < similarities[$1] } ?? 0
            taken.insert(loneliest)
            for (index, value) in zip(vectors[loneliest].indices, vectors[loneliest].values) { sums[cluster][Int(index)] = value }
        }
        return sums.map(Self.normalized)
    }

    func seedCentroids(k: Int, random: inout SeededRandom) -> [[Double]] {
        var chosen = [random.index(below: vectors.count)]
        // Distance of each vector from its nearest seed so far: 1 − cosine.
        var distances = vectors.map { 1 - $0.dot(vectors[chosen[0]]) }
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
            for index in vectors.indices {
                distances[index] = min(distances[index], 1 - vectors[index].dot(vectors[next]))
            }
        }
        return chosen.map { seed in
            var dense = [Double](repeating: 0, count: dimension)
            for (index, value) in zip(vectors[seed].indices, vectors[seed].values) { dense[Int(index)] = value }
            return dense
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
        for (position, vector) in vectors.enumerated() {
            let own = clustering.labels[position]
            let a = 1 - clustering.similarities[position]
            var b = Double.infinity
            for (index, centroid) in clustering.centroids.enumerated() where index != own {
                b = min(b, 1 - vector.dot(dense: centroid))
            }
            let scale = max(a, b)
            total += scale > 0 ? (b - a) / scale : 0
        }
        return total / Double(vectors.count)
    }
}
