import Foundation
import Testing

@testable import ILCAnalysis

@Suite struct CorpusTests {
    /// The corpus numbers words by their bytes and terms by packed integers; what it
    /// builds must be what the plain string path (`TermExtractor` + `TFIDFModel`) gives.
    @Test func buildsTheSameModelAndVectorsAsTheStringPath() {
        // Enough distinct words and pairs to make both lookup tables grow, ASCII and
        // non-ASCII answers sharing words, upper case, apostrophes, digits, stop words.
        var texts: [String] = []
        for index in 0..<3_000 {
            let topic = ["chronic absenteeism", "Tier 1 instruction", "grading practices"][index % 3]
            texts.append("Our team's focus: \(topic) with w\(index) and w\(index / 2) w\((index * 7) % 2_500), don't stop.")
            if index % 10 == 0 { texts.append("Élèves' \(topic.uppercased()) — w\(index) niños café 7th") }
        }
        let inputs = texts.enumerated().map { ThemeInput(id: "r\($0.offset)", text: $0.element) }
        let extractor = TermExtractor()
        let corpus = Corpus(inputs: inputs, extractor: extractor)

        let documents = texts.map { extractor.terms($0) }
        let reference = TFIDFModel(documents: documents, minimumDocuments: 2, maximumDocumentShare: 0.5)
        #expect(corpus.model.terms.count > 2_048)
        // First differences only: whole vocabularies would bury the failure.
        let termDifference = zip(corpus.model.terms, reference.terms).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(
            corpus.model.terms.count == reference.terms.count && termDifference == nil,
            "first different term: \(String(describing: termDifference))")
        let sameWeights = corpus.model.inverseDocumentFrequency == reference.inverseDocumentFrequency
        #expect(sameWeights, "inverse document frequencies differ")
        let vectors = documents.map(reference.vector)
        let vectorDifference = zip(corpus.vectors, vectors).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(
            corpus.vectors.count == vectors.count && vectorDifference == nil,
            "first different vector: answer \(String(describing: vectorDifference))")
        #expect(corpus.written("absente") == "absenteeism")
    }
}
