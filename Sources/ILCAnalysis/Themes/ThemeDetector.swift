/// Finds the common themes of free-text survey answers: TF-IDF vectors of stems and
/// stem pairs, spherical k-means for each number of themes in the range on a sample,
/// the number whose clustering has the best mean simplified silhouette (ties: fewer),
/// then that clustering refined on every answer. Answers too far from every theme stay
/// unassigned; themes smaller than `minimumThemeSize` dissolve into the others. The
/// same input and seed always give the same result.
public struct ThemeDetector: Sendable {
    public struct Settings: Sendable {
        /// How many themes may be found; a single value fixes the number.
        public var themeCount: ClosedRange<Int>
        public var seed: UInt64
        public var catalog: ThemeCatalog
        /// Below this cosine with its theme's centre an answer is left unassigned…
        public var minimumScore: Double
        /// …and below this share of its theme's mean cosine (an answer far weaker than
        /// the theme's typical answer merely came closest, it does not belong).
        public var relativeScore: Double
        /// Smaller themes dissolve; nil: 3 or 0.5 % of the answers, whichever is more.
        public var minimumThemeSize: Int?
        /// How many answers the choice of the number of themes looks at.
        public var selectionSample: Int
        /// Themes whose centres are at least this similar (cosine) are one theme said in
        /// different words, and merge.
        public var mergeSimilarity: Double
        /// k-means runs per number of themes (the best is kept): fewer local optima.
        public var restarts: Int

        public init(
            themeCount: ClosedRange<Int> = 3...20, seed: UInt64 = 1, catalog: ThemeCatalog = .builtIn,
            minimumScore: Double = 0.1, relativeScore: Double = 0.4, minimumThemeSize: Int? = nil, selectionSample: Int = 4_000,
            mergeSimilarity: Double = 0.3, restarts: Int = 3
        ) {
            self.themeCount = themeCount
            self.seed = seed
            self.catalog = catalog
            self.minimumScore = minimumScore
            self.relativeScore = relativeScore
            self.minimumThemeSize = minimumThemeSize
            self.selectionSample = selectionSample
            self.mergeSimilarity = mergeSimilarity
            self.restarts = max(1, restarts)
        }
    }

    /// Where a run is, for progress reports.
    public enum Stage: String, Sendable {
        case vectorizing, choosingThemeCount, clustering, describing
    }

    public let settings: Settings
    let extractor = TermExtractor()

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    public func detect(
        _ inputs: [ThemeInput], progress: (Stage, Double) -> Void = { _, _ in }
    ) -> ThemeDetectionResult {
        progress(.vectorizing, 0)
        let corpus = Corpus(inputs: inputs, extractor: extractor)
        let usable = corpus.vectors.indices.filter { !corpus.vectors[$0].isEmpty }
        let kMeans = SphericalKMeans(vectors: usable.map { corpus.vectors[$0] }, dimension: corpus.model.terms.count)
        guard usable.count >= 2, !corpus.model.terms.isEmpty else {
            return ThemeDetectionResult(themes: [], assignments: corpus.unassigned(), qualityByThemeCount: [:])
        }
        var random = SeededRandom(seed: settings.seed)
        let (centroids, quality) = chooseThemeCount(kMeans, random: &random, progress: progress)
        progress(.clustering, 0)
        // Seeded by the sample's centroids, a few passes settle it.
        var clustering = kMeans.refine(from: centroids, maximumIterations: 10)
        let minimumSize = settings.minimumThemeSize ?? max(3, inputs.count / 200)
        clustering = Self.dissolveSmallThemes(clustering, in: kMeans, minimumSize: minimumSize)
        clustering = Self.mergeSimilarThemes(clustering, in: kMeans, threshold: settings.mergeSimilarity)
        progress(.describing, 0)
        return describe(clustering, kMeans: kMeans, usable: usable, corpus: corpus, quality: quality)
    }

    /// The centroids of the best-scoring number of themes, found on a sample.
    func chooseThemeCount(
        _ kMeans: SphericalKMeans, random: inout SeededRandom, progress: (Stage, Double) -> Void
    ) -> ([[Double]], [Int: Double]) {
        var order = Array(kMeans.vectors.indices)
        if order.count > settings.selectionSample {
            for index in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(index, random.index(below: index + 1))
            }
            order = Array(order.prefix(settings.selectionSample)).sorted()
        }
        // Only the terms the sample uses: centroids over the whole vocabulary would be
        // mostly zeros, and each iteration's means and layouts pass over all of them.
        let (compact, terms) = Self.compacted(order.map { kMeans.vectors[$0] })
        let sample = SphericalKMeans(vectors: compact, dimension: terms.count)
        let upper = min(settings.themeCount.upperBound, max(1, sample.vectors.count / 2))
        let lower = min(max(1, settings.themeCount.lowerBound), upper)
        var best: (centroids: [[Double]], quality: Double)?
        var quality: [Int: Double] = [:]
        for k in lower...upper {
            var clustering = sample.run(k: k, random: &random, maximumIterations: 20)
            for _ in 1..<settings.restarts {
                let another = sample.run(k: k, random: &random, maximumIterations: 20)
                if another.similarities.reduce(0, +) > clustering.similarities.reduce(0, +) { clustering = another }
            }
            let score = k == 1 ? 0 : sample.simplifiedSilhouette(clustering)
            quality[k] = score
            if best == nil || score > (best?.quality ?? 0) + 1e-9 { best = (clustering.centroids, score) }
            progress(.choosingThemeCount, Double(k - lower + 1) / Double(upper - lower + 1))
        }
        let centroids = (best?.centroids ?? []).map { centroid in
            var full = [Double](repeating: 0, count: kMeans.dimension)
            for (position, term) in terms.enumerated() { full[term] = centroid[position] }
            return full
        }
        return (centroids, quality)
    }

    /// The vectors over only the terms they use, numbered in the same order (so every
    /// dot product adds the same products in the same order), and those terms.
    static func compacted(_ vectors: [SparseVector]) -> ([SparseVector], [Int]) {
        var used = Set<Int32>()
        for vector in vectors { used.formUnion(vector.indices) }
        let terms = used.sorted()
        var position = [Int32: Int32](minimumCapacity: terms.count)
        for (index, term) in terms.enumerated() { position[term] = Int32(index) }
        let compact = vectors.map { vector in
            SparseVector(sortedIndices: vector.indices.map { position[$0] ?? 0 }, values: vector.values)
        }
        return (compact, terms.map(Int.init))
    }

    /// Drops themes with fewer than `minimumSize` answers and lets their answers join
    /// the nearest remaining theme.
    static func dissolveSmallThemes(
        _ clustering: SphericalKMeans.Clustering, in kMeans: SphericalKMeans, minimumSize: Int
    ) -> SphericalKMeans.Clustering {
        var sizes = [Int](repeating: 0, count: clustering.centroids.count)
        for label in clustering.labels { sizes[label] += 1 }
        let kept = clustering.centroids.indices.filter { sizes[$0] >= minimumSize }
        guard kept.count < clustering.centroids.count, !kept.isEmpty else { return clustering }
        return kMeans.refine(from: kept.map { clustering.centroids[$0] }, maximumIterations: 10)
    }

    /// Merges the two most similar themes while their centres are at least `threshold`
    /// alike, then lets every answer find its theme again.
    static func mergeSimilarThemes(
        _ clustering: SphericalKMeans.Clustering, in kMeans: SphericalKMeans, threshold: Double
    ) -> SphericalKMeans.Clustering {
        var sizes = [Double](repeating: 0, count: clustering.centroids.count)
        for label in clustering.labels { sizes[label] += 1 }
        var centroids = clustering.centroids
        var merged = false
        while centroids.count > 1 {
            var best: (Int, Int, Double)?
            for left in centroids.indices {
                for right in centroids.indices where right > left {
                    let similarity = zip(centroids[left], centroids[right]).reduce(0) { $0 + $1.0 * $1.1 }
                    if similarity >= threshold, similarity > (best?.2 ?? -1) { best = (left, right, similarity) }
                }
            }
            guard let (left, right, _) = best else { break }
            // The size-weighted mean of the two centres.
            let combined = zip(centroids[left], centroids[right]).map { $0.0 * sizes[left] + $0.1 * sizes[right] }
            centroids[left] = SphericalKMeans.normalized(combined)
            sizes[left] += sizes[right]
            centroids.remove(at: right)
            sizes.remove(at: right)
            merged = true
        }
        return merged ? kMeans.refine(from: centroids, maximumIterations: 10) : clustering
    }
}
