/// Words, stems and terms of a corpus numbered as they first appear (see `Corpus`).
/// A term is a stem or a run of stems (`TermExtractor.ngrams`); its name is the stems
/// joined by spaces, as `TermExtractor` writes it.
struct Vocabulary {
    /// Per word number (stop words excluded): the word, its stem, how often it was used.
    private var words: [(word: String, stem: Int32, uses: Int)] = []
    /// Words by their string (canonical equivalence, as `TermExtractor` caches them)…
    private var wordNumbers: [String: Int32] = [:]
    /// …and by the bytes they were written in (-1: a stop word), so an occurrence of a
    /// known spelling makes no string.
    private var wordsByBytes = WordTable()
    private(set) var stemNames: [String] = []
    private var stemNumbers: [String: Int32] = [:]
    /// Terms of one or two stems by their stems packed in one integer (no array to
    /// make per occurrence); longer runs by the stems themselves.
    private var shortTermNumbers = TermTable()
    private var longTermNumbers: [[Int32]: Int32] = [:]
    private var termStems: [[Int32]] = []

    /// The stem number of a word given as its UTF-8 bytes (-1 for a stop word), counting
    /// the use. A spelling seen for the first time is matched by its string, so spellings
    /// that are canonically equal are one word.
    mutating func stem(ofWord bytes: UnsafeBufferPointer<UInt8>, extractor: TermExtractor) -> Int32 {
        let number: Int32
        if let known = wordsByBytes.value(of: bytes) {
            number = known
        } else {
            number = wordNumber(of: String(decoding: bytes, as: UTF8.self), extractor: extractor)
            wordsByBytes.insert(bytes, value: number)
        }
        return use(number)
    }

    private mutating func use(_ number: Int32) -> Int32 {
        guard number >= 0 else { return -1 }
        words[Int(number)].uses += 1
        return words[Int(number)].stem
    }

    /// The word's number, numbering it when it is new; -1 for a stop word.
    private mutating func wordNumber(of word: String, extractor: TermExtractor) -> Int32 {
        if let number = wordNumbers[word] { return number }
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
        let number = Int32(words.count)
        wordNumbers[word] = number
        words.append((word, stem, 0))
        return number
    }

    /// Appends the document's terms (every run of `sizes` consecutive stems, shortest
    /// first) to `terms`.
    mutating func appendTerms(of stems: [Int32], sizes: ClosedRange<Int>, to terms: inout [Int32]) {
        for size in sizes where size >= 1 && size <= stems.count {
            for start in 0...(stems.count - size) {
                if size <= 2 {
                    // A lone stem keeps the upper half all ones, which no pair has (stems are ≥ 0).
                    let first = UInt64(UInt32(bitPattern: stems[start]))
                    let key = size == 1 ? (UInt64(UInt32.max) << 32) | first : (first << 32) | UInt64(UInt32(bitPattern: stems[start + 1]))
                    let (number, isNew) = shortTermNumbers.value(of: key, orInsert: Int32(termStems.count))
                    if isNew { termStems.append(Array(stems[start..<(start + size)])) }
                    terms.append(number)
                } else {
                    let run = Array(stems[start..<(start + size)])
                    if let number = longTermNumbers[run] {
                        terms.append(number)
                    } else {
                        let number = Int32(termStems.count)
                        termStems.append(run)
                        longTermNumbers[run] = number
                        terms.append(number)
                    }
                }
            }
        }
    }

    /// The TF-IDF model of `documents` (term numbers, document `d` at
    /// `terms[offsets[d]..<offsets[d + 1]]`), and each term number's position in it (nil
    /// for a term left out).
    func model(
        terms documentTerms: [Int32], offsets: [Int], minimumDocuments: Int, maximumDocumentShare: Double
    ) -> (TFIDFModel, [Int?]) {
        var frequency = [Int](repeating: 0, count: termStems.count)
        var seen = [Int](repeating: -1, count: termStems.count)
        let documentCount = offsets.count - 1
        for document in 0..<documentCount {
            for term in documentTerms[offsets[document]..<offsets[document + 1]] where seen[Int(term)] != document {
                seen[Int(term)] = document
                frequency[Int(term)] += 1
            }
        }
        let ceiling = maximumDocumentShare * Double(documentCount)
        let kept = termStems.indices
            .filter { frequency[$0] >= minimumDocuments && Double(frequency[$0]) <= ceiling }
            .map { (number: $0, name: termStems[$0].map { stemNames[Int($0)] }.joined(separator: " ")) }
            .sorted { $0.name < $1.name }
        var positions = [Int?](repeating: nil, count: termStems.count)
        for (position, term) in kept.enumerated() { positions[term.number] = position }
        let model = TFIDFModel(
            terms: kept.map(\.name), documentFrequencies: kept.map { frequency[$0.number] }, documentCount: documentCount)
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
