/// The answers as vectors, with what it takes to show terms as people wrote them.
struct Corpus {
    let inputs: [ThemeInput]
    let model: TFIDFModel
    let vectors: [SparseVector]
    /// Each stem's most frequent written form (ties: the alphabetically first).
    let surface: [String: String]
    let extractor: TermExtractor
    var stemCache: [String: String]

    init(inputs: [ThemeInput], extractor: TermExtractor) {
        var cache: [String: String] = [:]
        var written: [String: [String: Int]] = [:]
        var documents: [[String]] = []
        documents.reserveCapacity(inputs.count)
        for input in inputs {
            let words = extractor.stemmedTokens(input.text, cache: &cache)
            for word in words { written[word.stem, default: [:]][word.token, default: 0] += 1 }
            documents.append(TermExtractor.ngrams(of: words.map(\.stem), sizes: extractor.ngrams))
        }
        // Terms in one answer only are noise; terms in most answers name no theme.
        model = TFIDFModel(
            documents: documents, minimumDocuments: inputs.count >= 50 ? 2 : 1, maximumDocumentShare: 0.5)
        vectors = documents.map(model.vector)
        surface = written.mapValues { forms in
            forms.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key ?? ""
        }
        self.inputs = inputs
        self.extractor = extractor
        stemCache = cache
    }

    /// A term (`stem` or `stem stem`) in the words people used.
    func written(_ term: String) -> String {
        term.split(separator: " ").map { surface[String($0)] ?? String($0) }.joined(separator: " ")
    }

    /// A catalog entry's keywords as a unit vector over this corpus's terms.
    mutating func vector(forKeywords keywords: [String]) -> SparseVector {
        var entries: [(index: Int, value: Double)] = []
        for keyword in keywords {
            let stems = extractor.stems(keyword, cache: &stemCache)
            for term in TermExtractor.ngrams(of: stems, sizes: extractor.ngrams) {
                if let position = model.index[term] { entries.append((position, 1)) }
            }
        }
        return SparseVector(entries: entries).normalized()
    }

    func unassigned() -> [ThemeAssignment] {
        inputs.map { ThemeAssignment(id: $0.id, themeID: nil, score: 0, secondThemeID: nil, secondScore: nil) }
    }
}
