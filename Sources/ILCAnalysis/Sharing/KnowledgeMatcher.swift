import ILCCore

/// Finds, for each collective, the few collectives elsewhere that worked on a similar
/// problem and moved their indicators: TF-IDF vectors of each placemat's problem of
/// practice, theory of action and indicator names (stems and stem pairs), an inverted
/// index over the sources' terms for candidates (never all pairs), then a similarity
/// of text, theme and evidence categories, weighted by the source's evidence of impact.
/// Only sources whose indicators moved the right way qualify: a collective is
/// recommended because it moved, not just because it is similar. Consent decides which
/// pairs may be considered at all; people's marks on earlier suggestions move a source
/// up or down (`KnowledgeFeedback`). The same input always gives the same suggestions.
public struct KnowledgeMatcher: Sendable {
    public struct Settings: Sendable {
        public var suggestionsPerTarget: Int
        /// Below this similarity a pair is not suggested.
        public var minimumSimilarity: Double
        /// A target's heaviest terms that look up candidates.
        public var candidateTerms: Int
        public var textWeight: Double
        public var themeWeight: Double
        public var categoryWeight: Double
        /// How much of the score the source's impact decides (the rest: similarity alone).
        public var impactWeight: Double

        public init(
            suggestionsPerTarget: Int = 3, minimumSimilarity: Double = 0.15, candidateTerms: Int = 16, textWeight: Double = 0.7,
            themeWeight: Double = 0.2, categoryWeight: Double = 0.1, impactWeight: Double = 0.6
        ) {
            self.suggestionsPerTarget = suggestionsPerTarget
            self.minimumSimilarity = minimumSimilarity
            self.candidateTerms = candidateTerms
            self.textWeight = textWeight
            self.themeWeight = themeWeight
            self.categoryWeight = categoryWeight
            self.impactWeight = impactWeight
        }
    }

    public let settings: Settings
    let extractor = TermExtractor()

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    /// Suggestions for every profile in `targets` (all when nil), best first per target.
    public func suggestions(
        for profiles: [CollectiveProfile], consent: SharingConsent, targets: Set<String>? = nil,
        feedback: KnowledgeFeedback = KnowledgeFeedback()
    ) -> [KnowledgeSuggestion] {
        let corpus = SharingCorpus(profiles: profiles, extractor: extractor)
        let facts = Facts(profiles: profiles, consent: consent)
        let sources = profiles.indices.filter { facts.impactScores[$0] > 0 }
        let marks = profiles.map { feedback.marks[$0.id] }
        // Judged pairs as index pairs, so the candidate loop hashes no strings.
        let index = feedback.judgedPairs.isEmpty ? [:] : Dictionary(profiles.enumerated().map { ($1.id, $0) }) { first, _ in first }
        let judged = Set(feedback.judgedPairs.compactMap { pair -> Int? in
            guard let target = index[pair.target], let source = index[pair.source] else { return nil }
            return target * profiles.count + source
        })
        let postings = corpus.postings(of: sources)
        var accumulated = [Double](repeating: 0, count: profiles.count)
        var touched: [Int] = []
        var result: [KnowledgeSuggestion] = []
        for target in profiles.indices where targets?.contains(profiles[target].id) ?? true {
            let vector = corpus.vectors[target]
            let heaviest = zip(vector.indices, vector.values).sorted { ($0.1, -$0.0) > ($1.1, -$1.0) }.prefix(settings.candidateTerms)
            for (term, weight) in heaviest {
                for (source, sourceWeight) in postings[Int(term)] {
                    if accumulated[source] == 0 { touched.append(source) }
                    accumulated[source] += weight * sourceWeight
                }
            }
            // Cheap scores for every candidate; the full reasons for the few kept.
            var best: [(score: Double, similarity: Double, source: Int)] = []
            for source in touched where source != target && facts.allows(source: source, target: target) {
                let similarity = settings.textWeight * corpus.vectors[source].dot(vector)
                    + (facts.sameTheme(source, target) ? settings.themeWeight : 0)
                    + settings.categoryWeight * facts.categoryOverlap(source, target)
                guard similarity >= settings.minimumSimilarity,
                      !judged.contains(target * profiles.count + source)
                else { continue }
                let score = similarity * (1 - settings.impactWeight + settings.impactWeight * facts.impactScores[source])
                    * (marks[source]?.factor ?? 1)
                best.append((score, similarity, source))
            }
            for source in touched { accumulated[source] = 0 }
            touched.removeAll(keepingCapacity: true)
            best.sort { ($0.score, profiles[$1.source].id) > ($1.score, profiles[$0.source].id) }
            for (score, similarity, source) in best.prefix(settings.suggestionsPerTarget) {
                let (from, to) = (profiles[source], profiles[target])
                result.append(KnowledgeSuggestion(
                    target: to.id, source: from.id, score: score, similarity: similarity, impact: facts.impactScores[source],
                    sharedTheme: facts.sameTheme(source, target) ? from.theme : nil,
                    matchingTerms: corpus.sharedTerms(source, target, count: 5),
                    indicatorChanges: facts.impacts[source].filter { $0.change > 0 }, crossTenant: from.tenant != to.tenant,
                    marks: marks[source]))
            }
        }
        return result
    }

    /// Per profile, in arrays: what the candidate loop asks millions of times.
    private struct Facts {
        let impacts: [[IndicatorImpact]]
        let impactScores: [Double]
        let tenant: [Int]
        let theme: [Int]
        let categories: [UInt8]
        /// `[source tenant][target tenant]`.
        let allowed: [[Bool]]

        init(profiles: [CollectiveProfile], consent: SharingConsent) {
            impacts = profiles.map { $0.indicators.compactMap(IndicatorImpact.init) }
            impactScores = impacts.map(IndicatorImpact.score(of:))
            var tenants: [String: Int] = [:]
            var themes: [String: Int] = [:]
            tenant = profiles.map { profile in
                if let index = tenants[profile.tenant] { return index }
                tenants[profile.tenant] = tenants.count
                return tenants.count - 1
            }
            theme = profiles.map { profile in
                guard let key = profile.theme else { return -1 }
                if let index = themes[key] { return index }
                themes[key] = themes.count
                return themes.count - 1
            }
            categories = profiles.map { profile in
                EvidenceCategory.allCases.enumerated().reduce(0) { mask, item in
                    profile.evidenceCategories.contains(item.element) ? mask | (1 << item.offset) : mask
                }
            }
            let names = tenants.sorted { $0.value < $1.value }.map(\.key)
            allowed = names.map { source in names.map { consent.allows(source: source, target: $0) } }
        }

        func allows(source: Int, target: Int) -> Bool { allowed[tenant[source]][tenant[target]] }

        func sameTheme(_ first: Int, _ second: Int) -> Bool { theme[first] >= 0 && theme[first] == theme[second] }

        func categoryOverlap(_ first: Int, _ second: Int) -> Double {
            let union = (categories[first] | categories[second]).nonzeroBitCount
            return union == 0 ? 0 : Double((categories[first] & categories[second]).nonzeroBitCount) / Double(union)
        }
    }
}
