/// Text → the terms its vectors count: tokens without stop words, stemmed, plus the
/// n-grams of neighbouring kept stems (`tier 1`, `chronic absente`). Stems are cached,
/// so a large corpus stems each distinct word once.
public struct TermExtractor: Sendable {
    public var tokenizer: Tokenizer
    public var stopWords: Set<String>
    public var stemmer: EnglishStemmer
    /// 1...1 for single stems, 1...2 adds pairs.
    public var ngrams: ClosedRange<Int>

    public init(
        tokenizer: Tokenizer = Tokenizer(), stopWords: Set<String> = StopWords.english, stemmer: EnglishStemmer = EnglishStemmer(),
        ngrams: ClosedRange<Int> = 1...2
    ) {
        self.tokenizer = tokenizer
        self.stopWords = stopWords
        self.stemmer = stemmer
        self.ngrams = ngrams
    }

    /// The words of `text` that are not stop words, each with its stem, in order.
    public func stemmedTokens(_ text: String, cache: inout [String: String]) -> [(token: String, stem: String)] {
        tokenizer.tokens(text).compactMap { token in
            guard !stopWords.contains(token) else { return nil }
            if let known = cache[token] { return (token, known) }
            let stem = stemmer.stem(token)
            cache[token] = stem
            return (token, stem)
        }
    }

    /// The stems of `text`'s words that are not stop words, in order.
    public func stems(_ text: String, cache: inout [String: String]) -> [String] {
        stemmedTokens(text, cache: &cache).map(\.stem)
    }

    public func terms(_ text: String, cache: inout [String: String]) -> [String] {
        Self.ngrams(of: stems(text, cache: &cache), sizes: ngrams)
    }

    public func terms(_ text: String) -> [String] {
        var cache: [String: String] = [:]
        return terms(text, cache: &cache)
    }

    /// Every run of `sizes` consecutive items, joined by a space, shortest first.
    public static func ngrams(of items: [String], sizes: ClosedRange<Int>) -> [String] {
        var grams: [String] = []
        for size in sizes where size >= 1 && size <= items.count {
            for start in 0...(items.count - size) {
                grams.append(items[start..<(start + size)].joined(separator: " "))
            }
        }
        return grams
    }
}
