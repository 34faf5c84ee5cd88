/// The placemats' text as TF-IDF vectors, with the words people wrote for each stem so
/// matching terms can be shown as words.
struct SharingCorpus {
    let model: TFIDFModel
    let vectors: [SparseVector]
    /// Stem → the first word seen with it.
    let words: [String: String]

    init(profiles: [CollectiveProfile], extractor: TermExtractor) {
        var cache: [String: String] = [:]
        var words: [String: String] = [:]
        let documents = profiles.map { profile in
            let text = ([profile.problemOfPractice, profile.theoryOfAction] + profile.indicators.map(\.name)).joined(separator: "\n")
            let tokens = extractor.stemmedTokens(text, cache: &cache)
            for (token, stem) in tokens where words[stem] == nil { words[stem] = token }
            return TermExtractor.ngrams(of: tokens.map(\.stem), sizes: extractor.ngrams)
        }
        // Terms in one placemat match nothing; terms in most of a large network say
        // nothing (and would make every placemat a candidate of every other).
        let share = min(1, max(0.3, 10 / Double(max(1, documents.count))))
        model = TFIDFModel(documents: documents, minimumDocuments: 2, maximumDocumentShare: share)
        vectors = documents.map(model.vector)
        self.words = words
    }

    /// Term → (profile, weight) for the given profiles.
    func postings(of profiles: [Int]) -> [[(Int, Double)]] {
        var postings = [[(Int, Double)]](repeating: [], count: model.terms.count)
        for profile in profiles {
            let vector = vectors[profile]
            for (term, weight) in zip(vector.indices, vector.values) { postings[Int(term)].append((profile, weight)) }
        }
        return postings
    }

    /// The terms contributing most to two profiles' cosine, as words.
    func sharedTerms(_ first: Int, _ second: Int, count: Int) -> [String] {
        let (a, b) = (vectors[first], vectors[second])
        var weights: [Int32: Double] = [:]
        for (term, weight) in zip(a.indices, a.values) { weights[term] = weight }
        let shared = zip(b.indices, b.values).compactMap { term, weight in weights[term].map { (term, $0 * weight) } }
        return shared.sorted { ($0.1, -$0.0) > ($1.1, -$1.0) }.prefix(count).map { term, _ in
            model.terms[Int(term)].split(separator: " ").map { words[String($0)] ?? String($0) }.joined(separator: " ")
        }
    }
}
