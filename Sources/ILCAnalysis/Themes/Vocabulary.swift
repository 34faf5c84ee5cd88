/// Words, stems and terms of a corpus numbered as they first appear (see `Corpus`).
/// A term is a stem or a run of stems (`TermExtractor.ngrams`); its name is the stems
/// joined by spaces, as `TermExtractor` writes it.
struct Vocabulary {
    /// Per word number (stop words excluded): the word, its stem, how often it was used.
    private var words: [(word: String, stem: Int32, uses: Int)] = []
    private var wordNumbers: [String: Int] = [:]
    private(set) var stemNames: [String] = []
    private var stemNumbers: [String: Int32] = [:]
    /// Terms of one or two stems by their stems packed in one integer (no array to
    /// make per occurrence); longer runs by the stems themselves.
    private var shortTermNumbers: [UInt64: Int32] = [:]
    private var longTermNumbers: [[Int32]: Int32] = [:]
    private var termStems: [[Int32]] = []

    /// The word's stem number (-1 for a stop word), counting the use.
    mutating func stem(of word: String, extractor: TermExtractor) -> Int32 {
        if let number = wordNumbers[word] {
            words[number].uses += 1
            return words[number].stem
        }
        guard !extractor.stopWords.contains(word) else { return -1 }
        let name = extractor.stemmer.stem(word)
        let stem: Int32
        if let existing = stemNumbers[name] {
            stem = existing
        } else {
            stem = Int32(stemNames.count)
            stemNames.append(name)
            stemNumbers[name] = stem
        }
        wordNumbers[word] = words.count
        words.append((word, stem, 1))
        return stem
    }

    /// The document's terms (every run of `sizes` consecutive stems, shortest first).
    mutating func terms(of stems: [Int32], sizes: ClosedRange<Int>) -> [Int32] {
        var terms: [Int32] = []
        for size in sizes where size >= 1 && size <= stems.count {
            for start in 0...(stems.count - size) {
                let run = stems[start..<(start + size)]
                if size <= 2 {
                    // A lone stem keeps the upper half all ones, which no pair has (stems are ≥ 0).
                    let first = UInt64(UInt32(bitPattern: stems[start]))
                    let key = size == 1 ? (UInt64(UInt32.max) << 32) | first : (first << 32) | UInt64(UInt32(bitPattern: stems[start + 1]))
                    terms.append(number(of: run, key: key, in: \.shortTermNumbers))
                } else {
                    terms.append(number(of: run, key: Array(run), in: \.longTermNumbers))
                }
            }
        }
        return terms
    }

    /// The term's number under `key` in `table`, numbering it when it is new.
    private mutating func number<Key: Hashable>(
        of run: ArraySlice<Int32>, key: Key, in table: WritableKeyPath<Vocabulary, [Key: Int32]>
    ) -> Int32 {
        if let number = self[keyPath: table][key] { return number }
        let number = Int32(termStems.count)
        termStems.append(Array(run))
        self[keyPath: table][key] = number
        return number
    }

    /// The TF-IDF model of `documents` (lists of term numbers), and each term number's
    /// position in it (nil for a term left out).
    func model(documents: [[Int32]], minimumDocuments: Int, maximumDocumentShare: Double) -> (TFIDFModel, [Int?]) {
        var frequency = [Int](repeating: 0, count: termStems.count)
        var seen = [Int](repeating: -1, count: termStems.count)
        for (position, document) in documents.enumerated() {
            for term in document where seen[Int(term)] != position {
                seen[Int(term)] = position
                frequency[Int(term)] += 1
            }
        }
        let ceiling = maximumDocumentShare * Double(documents.count)
        let kept = termStems.indices
            .filter { frequency[$0] >= minimumDocuments && Double(frequency[$0]) <= ceiling }
            .map { (number: $0, name: termStems[$0].map { stemNames[Int($0)] }.joined(separator: " ")) }
            .sorted { $0.name < $1.name }
        var positions = [Int?](repeating: nil, count: termStems.count)
        for (position, term) in kept.enumerated() { positions[term.number] = position }
        let model = TFIDFModel(
            terms: kept.map(\.name), documentFrequencies: kept.map { frequency[$0.number] }, documentCount: documents.count)
        return (model, positions)
    }

    /// Each word's stem, as `TermExtractor` caches them.
    func stemsByWord() -> [String: String] {
        Dictionary(uniqueKeysWithValues: words.map { ($0.word, stemNames[Int($0.stem)]) })
    }

    /// Each stem's most frequent written form (ties: the alphabetically first).
    func surfaceForms() -> [String: String] {
        var best: [Int32: (word: String, uses: Int)] = [:]
        for entry in words {
            if let current = best[entry.stem],
               current.uses > entry.uses || (current.uses == entry.uses && current.word < entry.word) {
                continue
            }
            best[entry.stem] = (entry.word, entry.uses)
        }
        return Dictionary(uniqueKeysWithValues: best.map { (stemNames[Int($0.key)], $0.value.word) })
    }
}
