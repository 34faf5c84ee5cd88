/// The answers as vectors, with what it takes to show terms as people wrote them.
struct Corpus {
    let inputs: [ThemeInput]
    let model: TFIDFModel
    let vectors: [SparseVector]
    /// Each stem's most frequent written form (ties: the alphabetically first).
    let surface: [String: String]
    let extractor: TermExtractor
    var stemCache: [String: String]

    /// The same model, vectors and written forms as `TFIDFModel(documents:)` over
    /// `TermExtractor`'s terms would give, but words, stems and terms are numbered as
    /// they first appear, so each word costs one lookup of its bytes, strings are made
    /// only for new spellings and kept terms, and the documents' terms share one array.
    init(inputs: [ThemeInput], extractor: TermExtractor) {
        var vocabulary = Vocabulary()
        var terms: [Int32] = []
        var offsets = [0]
        offsets.reserveCapacity(inputs.count + 1)
        var stems: [Int32] = []
        for input in inputs {
            stems.removeAll(keepingCapacity: true)
            extractor.tokenizer.forEachToken(in: input.text) { token in
                let stem = vocabulary.stem(ofWord: token, extractor: extractor)
                if stem >= 0 { stems.append(stem) }
            }
            vocabulary.appendTerms(of: stems, sizes: extractor.ngrams, to: &terms)
            offsets.append(terms.count)
        }
        // Terms in one answer only are noise; terms in most answers name no theme.
        let (model, positions) = vocabulary.model(
            terms: terms, offsets: offsets, minimumDocuments: inputs.count >= 50 ? 2 : 1, maximumDocumentShare: 0.5)
        self.model = model
        var known: [Int] = []
        vectors = (0..<inputs.count).map { document in
            known.removeAll(keepingCapacity: true)
            for term in terms[offsets[document]..<offsets[document + 1]] {
                if let position = positions[Int(term)] { known.append(position) }
            }
            return model.vector(sortingPositions: &known)
        }
        surface = vocabulary.surfaceForms()
        self.inputs = inputs
        self.extractor = extractor
        stemCache = vocabulary.stemsByWord()
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
