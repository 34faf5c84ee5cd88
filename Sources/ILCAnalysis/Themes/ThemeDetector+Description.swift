extension ThemeDetector {
    /// Turns the final clustering into themes (largest first) and assignments.
    func describe(
        _ clustering: SphericalKMeans.Clustering, kMeans: SphericalKMeans, usable: [Int], corpus: Corpus,
        quality: [Int: Double]
    ) -> ThemeDetectionResult {
        var corpus = corpus
        let clusterCount = clustering.centroids.count
        // Each theme's bar: its typical answer's similarity, scaled, and never below the floor.
        var totals = [Double](repeating: 0, count: clusterCount)
        var counts = [Int](repeating: 0, count: clusterCount)
        for (position, label) in clustering.labels.enumerated() {
            totals[label] += clustering.similarities[position]
            counts[label] += 1
        }
        let bars = (0..<clusterCount).map { cluster in
            max(settings.minimumScore, settings.relativeScore * totals[cluster] / Double(max(counts[cluster], 1)))
        }
        var members = [[Int]](repeating: [], count: clusterCount)
        for (position, label) in clustering.labels.enumerated() where clustering.similarities[position] >= bars[label] {
            members[label].append(position)
        }
        let sizes = members.map(\.count)
        let order: [Int] = (0..<clusterCount).filter { sizes[$0] > 0 }.sorted { left, right in
            sizes[left] != sizes[right] ? sizes[left] > sizes[right] : left < right
        }
        var themeID: [Int: String] = [:]
        for (rank, cluster) in order.enumerated() { themeID[cluster] = "theme-\(rank + 1)" }
        let similarities = clustering.similarities
        let labels = catalogLabels(for: order, centroids: clustering.centroids, corpus: &corpus)

        let themes = order.map { cluster -> DetectedTheme in
            let keywords = Self.keywords(of: clustering.centroids[cluster], corpus: corpus)
            let closest: [Int] = members[cluster].sorted { left, right in
                similarities[left] != similarities[right] ? similarities[left] > similarities[right] : left < right
            }
            let total: Double = members[cluster].reduce(0) { $0 + similarities[$1] }
            let cohesion = total / Double(members[cluster].count)
            let catalogEntry = labels[cluster]
            return DetectedTheme(
                id: themeID[cluster] ?? "", label: catalogEntry?.label ?? Self.label(fromKeywords: keywords),
                catalogKey: catalogEntry?.key, keywords: keywords, size: members[cluster].count,
                quotes: closest.prefix(3).map { corpus.inputs[usable[$0]] }, cohesion: cohesion)
        }

        var assignments = corpus.unassigned()
        CentroidMatrix(clustering.centroids, dimension: kMeans.dimension).forEachRow(of: kMeans.rows) { position, scores in
            // The two best themes; of equal scores, the lower cluster number first.
            func beats(_ cluster: Int, _ other: Int?) -> Bool {
                guard let other else { return true }
                return scores[cluster] != scores[other] ? scores[cluster] > scores[other] : cluster < other
            }
            var best: Int?
            var second: Int?
            for cluster in order {
                if beats(cluster, best) {
                    second = best
                    best = cluster
                } else if beats(cluster, second) {
                    second = cluster
                }
            }
            guard let best else { return }
            let inputIndex = usable[position]
            let assigned = scores[best] >= bars[best]
            assignments[inputIndex] = ThemeAssignment(
                id: corpus.inputs[inputIndex].id, themeID: assigned ? themeID[best] : nil, score: scores[best],
                secondThemeID: assigned ? second.flatMap { themeID[$0] } : nil,
                secondScore: assigned ? second.map { scores[$0] } : nil)
        }
        return ThemeDetectionResult(themes: themes, assignments: assignments, qualityByThemeCount: quality)
    }

    /// Catalog entries for themes whose centre is close enough to the entry's
    /// keywords, best pairs first, each entry and theme used once.
    func catalogLabels(
        for clusters: [Int], centroids: [[Double]], corpus: inout Corpus
    ) -> [Int: ThemeCatalog.Entry] {
        var pairs: [(cluster: Int, entry: Int, score: Double)] = []
        for (entryIndex, entry) in settings.catalog.entries.enumerated() {
            let vector = corpus.vector(forKeywords: entry.keywords)
            guard !vector.isEmpty else { continue }
            for cluster in clusters {
                let score = vector.dot(dense: centroids[cluster])
                if score >= Self.catalogMatch { pairs.append((cluster, entryIndex, score)) }
            }
        }
        pairs.sort { $0.score != $1.score ? $0.score > $1.score : ($0.cluster, $0.entry) < ($1.cluster, $1.entry) }
        var labels: [Int: ThemeCatalog.Entry] = [:]
        var usedEntries = Set<Int>()
        for pair in pairs where labels[pair.cluster] == nil && !usedEntries.contains(pair.entry) {
            labels[pair.cluster] = settings.catalog.entries[pair.entry]
            usedEntries.insert(pair.entry)
        }
        return labels
    }

    /// How close (cosine) a theme's centre must be to a catalog entry's keywords.
    static let catalogMatch = 0.15

    /// The heaviest terms of a centre, as written, without repeating a word.
    static func keywords(of centroid: [Double], corpus: Corpus, count: Int = 8) -> [String] {
        let ranked = centroid.indices.filter { centroid[$0] > 0 }
            .sorted { centroid[$0] != centroid[$1] ? centroid[$0] > centroid[$1] : $0 < $1 }
        var keywords: [String] = []
        var seen = Set<String>()
        for index in ranked {
            let phrase = corpus.written(corpus.model.terms[index])
            let words = phrase.split(separator: " ").map(String.init)
            // A pair adds something only if it brings a new word.
            guard !words.allSatisfy(seen.contains) else { continue }
            keywords.append(phrase)
            seen.formUnion(words)
            if keywords.count == count { break }
        }
        return keywords
    }

    /// `Attendance, absences and chronic` from the first keywords. Keywords that share a
    /// word merge instead of repeating it: a pair that continues a phrase extends it
    /// (`fractions` + `fractions proportional` + `proportional reasoning` → `fractions
    /// proportional reasoning`), one that overlaps otherwise is left out.
    static func label(fromKeywords keywords: [String]) -> String {
        var parts: [[String]] = []
        for keyword in keywords {
            let words = keyword.split(separator: " ").map(String.init)
            guard !words.isEmpty else { continue }
            if let index = parts.firstIndex(where: { part in words.contains(where: part.contains) }) {
                let part = parts[index]
                if part.last == words.first {
                    parts[index] = part + words.dropFirst()
                } else if part.first == words.last {
                    parts[index] = words.dropLast() + part
                }
                continue
            }
            guard parts.count < 3 else { break }
            parts.append(words)
        }
        let phrases = parts.map { $0.joined(separator: " ") }
        guard let first = phrases.first else { return "Unnamed theme" }
        let capitalized = first.prefix(1).uppercased() + first.dropFirst()
        switch phrases.count {
        case 1: return capitalized
        case 2: return "\(capitalized) and \(phrases[1])"
        default: return "\(capitalized), \(phrases[1]) and \(phrases[2])"
        }
    }
}
