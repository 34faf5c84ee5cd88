import Foundation
import ILCAnalysis
import Testing

@Suite struct TokenizerTests {
    @Test func splitsOnPunctuationAndKeepsWordInnerApostrophes() {
        let tokens = Tokenizer().tokens("Our 6th-graders’ chronic absenteeism—don't ignore it! \"Tier 1\" (MTSS).")
        #expect(tokens == ["our", "6th", "graders", "chronic", "absenteeism", "don't", "ignore", "it", "tier", "1", "mtss"])
    }

    @Test func readsOtherScriptsAndAccents() {
        #expect(Tokenizer().tokens("Élèves en français, niños y Ελληνικά") == ["élèves", "en", "français", "niños", "ελληνικά"])
    }

    /// Decomposed text (NFD: a letter, then its combining accent) makes the same words
    /// as precomposed text, not one word broken at every accent.
    @Test func keepsCombiningAccentsInsideWords() {
        let decomposed = "E\u{301}le\u{300}ves en franc\u{327}ais"
        #expect(decomposed.unicodeScalars.count > "Élèves en français".unicodeScalars.count)
        #expect(Tokenizer().tokens(decomposed) == ["élèves", "en", "français"])
        #expect(TermExtractor().terms(decomposed) == TermExtractor().terms("Élèves en français"))
    }

    @Test func asciiAndUnicodePathsAgree() {
        let text = "It's Tier-2 time: READ 180, don't stop'' -- 'quoted' words & 7th grade"
        let tokenizer = Tokenizer()
        // The same text with one non-ASCII character goes the Unicode way.
        #expect(tokenizer.tokens(text) + ["café"] == tokenizer.tokens(text + " café"))
        #expect(tokenizer.tokens(text) == ["it's", "tier", "2", "time", "read", "180", "don't", "stop", "quoted", "words", "7th", "grade"])
    }

    @Test func dropsSingleLettersButNotDigits() {
        #expect(Tokenizer().tokens("a 5 b cd") == ["5", "cd"])
    }
}

@Suite struct TermExtractorTests {
    @Test func stemsWithoutStopWordsAndAddsNeighbourPairs() {
        let terms = TermExtractor().terms("We are improving Tier 1 instruction for all of our students")
        #expect(terms == ["improv", "tier", "1", "instruct", "student", "improv tier", "tier 1", "1 instruct", "instruct student"])
    }

    @Test func singleStemsOnlyWhenAsked() {
        let terms = TermExtractor(ngrams: 1...1).terms("Students' attendance and attending")
        #expect(terms == ["student", "attend", "attend"])
    }
}

@Suite struct SparseVectorTests {
    @Test func mergesSortsAndDropsZeros() {
        let vector = SparseVector(entries: [(3, 1), (1, 2), (3, 1), (2, 0)])
        #expect(vector.indices == [1, 3])
        #expect(vector.values == [2, 2])
    }

    @Test func dotNormAndCosine() {
        let a = SparseVector(entries: [(0, 3), (2, 4)])
        let b = SparseVector(entries: [(2, 2), (5, 1)])
        #expect(a.norm == 5)
        #expect(a.dot(b) == 8)
        #expect(abs(a.cosine(b) - 8 / (5 * 5.0.squareRoot())) < 1e-12)
        #expect(abs(a.normalized().norm - 1) < 1e-12)
        #expect(a.cosine(SparseVector(entries: [])) == 0)
        #expect(a.dot(dense: [1, 0, 0.5, 0, 0, 0]) == 5)
    }
}

@Suite struct TFIDFModelTests {
    @Test func weighsBySublinearTermFrequencyAndSmoothedIDF() throws {
        let documents = [["attend", "attend", "chronic"], ["attend", "math"], ["math", "tier"]]
        let model = TFIDFModel(documents: documents)
        #expect(model.terms == ["attend", "chronic", "math", "tier"])
        // idf = ln((1 + n) / (1 + df)) + 1 with n = 3.
        let idfAttend = log(4.0 / 3.0) + 1
        let idfChronic = log(4.0 / 2.0) + 1
        #expect(abs(model.inverseDocumentFrequency[0] - idfAttend) < 1e-12)
        #expect(abs(model.inverseDocumentFrequency[1] - idfChronic) < 1e-12)
        // tf 2 → 1 + ln 2; then L2-normalised.
        let vector = model.vector(documents[0])
        let raw = [(1 + log(2.0)) * idfAttend, idfChronic]
        let length = (raw[0] * raw[0] + raw[1] * raw[1]).squareRoot()
        #expect(vector.indices == [0, 1])
        #expect(abs(vector.values[0] - raw[0] / length) < 1e-12)
        #expect(abs(vector.values[1] - raw[1] / length) < 1e-12)
        #expect(abs(vector.norm - 1) < 1e-12)
        #expect(model.vector(["unknown"]).isEmpty)
    }

    @Test func leavesOutRareAndUbiquitousTerms() {
        let documents = [["school", "attend"], ["school", "attend"], ["school", "math"]]
        let model = TFIDFModel(documents: documents, minimumDocuments: 2, maximumDocumentShare: 0.9)
        #expect(model.terms == ["attend"])
    }

    @Test func sameCorpusSameModel() {
        let documents = (0..<50).map { ["term\($0 % 7)", "term\($0 % 3)", "shared"] }
        let first = TFIDFModel(documents: documents)
        let second = TFIDFModel(documents: documents.reversed())
        #expect(first.terms == second.terms)
        #expect(first.inverseDocumentFrequency == second.inverseDocumentFrequency)
        #expect(first.vector(documents[4]) == second.vector(documents[4]))
    }
}
