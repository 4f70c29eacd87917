// BERT_DOT's two options, which make it the sentence-transformers bi-encoder: mean pooling and cosine. With both, its
// score is the cosine of the `SentenceEncoder` embeddings (itself held equal to sentence-transformers in
// EncoderParityTests); without them it is the paper's [CLS] dot product, and saves exactly what it saved before the
// options existed.

import Foundation
import Testing
import RankerTesting
import Tensors
import PropertyTesting
@testable import Student

@Suite struct BertDotOptionsTests {
    static let roomy = InputLimits(maxQueryLength: 20, maxPassageLength: 20)

    static func sentenceEmbedding(_ s: SentenceEncoder, _ ids: [Int]) -> [Float] {
        withNoGrad { s(EncoderInput(sequences: [[Tiny.specials.cls] + ids + [Tiny.specials.sep]], padId: Tiny.specials.pad)) }.scalars
    }

    @Test func meanPooledCosineIsTheSentenceEncodersCosine() {
        let encoder = Tiny.encoder(seed: 31)
        let dot = BertDot(encoder: encoder, limits: Self.roomy, specials: Tiny.specials, pooling: .mean, cosine: true)
        let sentence = SentenceEncoder(encoder: encoder, pooling: .mean, normalize: true)
        propertyCheck(Tiny.pairs(count: 1...5), cases: 15) { pairs in
            let scores = withNoGrad { dot.score(pairs) }.scalars
            for (i, p) in pairs.enumerated() {
                let q = Self.sentenceEmbedding(sentence, p.query), d = Self.sentenceEmbedding(sentence, p.passage)
                let cosine = zip(q, d).map { Double($0) * Double($1) }.reduce(0, +)
                try requireClose(Double(scores[i]), cosine, atol: 1e-5, rtol: 1e-5, "pair \(i)")
                try require(abs(scores[i]) <= 1 + 1e-5, "a cosine is in [-1, 1]: \(scores[i])")
            }
        }
    }

    @Test func defaultIsThePapersClsDotProduct() {
        let encoder = Tiny.encoder(seed: 5)
        let dot = BertDot(encoder: encoder, limits: Self.roomy, specials: Tiny.specials)
        let cls = SentenceEncoder(encoder: encoder, pooling: .cls, normalize: false)
        propertyCheck(Tiny.pairs(count: 1...3), cases: 10) { pairs in
            let scores = withNoGrad { dot.score(pairs) }.scalars
            for (i, p) in pairs.enumerated() {
                let q = Self.sentenceEmbedding(cls, p.query), d = Self.sentenceEmbedding(cls, p.passage)
                try requireClose(Double(scores[i]), zip(q, d).map { Double($0) * Double($1) }.reduce(0, +),
                                 atol: 1e-4, rtol: 1e-5, "pair \(i)")
            }
        }
    }

    @Test func optionsAreSavedOnlyWhenNotThePapersAndLoadBack() throws {
        let encoder = Tiny.encoder(seed: 9)
        let dir = testScratchRoot.appendingPathComponent("bertdot-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let pairs = [RankerPair(query: [5, 9, 12], passage: [7, 9, 20, 31, 5]), RankerPair(query: [14], passage: [6, 33])]
        for (pooling, cosine, expected) in [(SentenceEncoder.Pooling.cls, false, [String: String]()),
                                            (.mean, false, ["pooling": "mean"]),
                                            (.mean, true, ["pooling": "mean", "similarity": "cosine"])] {
            let r = BertDot(encoder: encoder, limits: Self.roomy, specials: Tiny.specials, pooling: pooling, cosine: cosine)
            let folder = dir.appendingPathComponent("\(pooling)-\(cosine)")
            try r.save(to: folder)
            let manifest = try JSONDecoder().decode(RankerManifest.self,
                                                    from: Data(contentsOf: folder.appendingPathComponent("ranker.json")))
            #expect(manifest.options == expected)
            let back = try #require(try RankerRegistry.load(folder) as? BertDot)
            #expect(back.pooling == pooling && back.cosine == cosine)
            #expect(withNoGrad { back.score(pairs) }.scalars == withNoGrad { r.score(pairs) }.scalars)
        }
    }

    @Test func unknownOptionsAreClearErrors() throws {
        let recipe = StudentRecipe(keepLayers: [0], options: ["pooling": "max"])
        #expect(throws: RankerError.self) { try RankerRegistry.make("bert-dot", teacher: Tiny.encoder(), recipe: recipe) }
        do { _ = try RankerRegistry.make("bert-dot", teacher: Tiny.encoder(), recipe: StudentRecipe(keepLayers: [0], options: ["similarity": "l2"])) }
        catch let e as RankerError { #expect(e.description.contains("similarity = \"l2\"") && e.description.contains("\"cosine\"")) }
        // A saved folder with a bad option names its ranker.json.
        let dir = testScratchRoot.appendingPathComponent("bertdot-bad-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try BertDot(encoder: Tiny.encoder(), specials: Tiny.specials).save(to: dir)
        let url = dir.appendingPathComponent("ranker.json")
        let text = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "\"options\" : {\n\n  }", with: "\"options\" : { \"pooling\" : \"first\" }")
            .replacingOccurrences(of: "\"options\" : {}", with: "\"options\" : { \"pooling\" : \"first\" }")
        try text.write(to: url, atomically: true, encoding: .utf8)
        #expect(text.contains("first"), "the test edited the manifest")
        do { _ = try RankerRegistry.load(dir); Issue.record("loaded a BERT_DOT with pooling 'first'") }
        catch let e as RankerError { #expect(e.description.contains("ranker.json") && e.description.contains("pooling = \"first\"")) }
    }

    @Test func cachedScoringEqualsFullScoringWithTheOptions() {
        let ranker = BertDot(encoder: Tiny.encoder(seed: 17), limits: Tiny.limits, specials: Tiny.specials, pooling: .mean, cosine: true)
        PassageCachingTests.checkCachedScoringEqualsFullScoring(ranker, tolerance: 2e-5, "BERT_DOT, mean pooling, cosine")
    }
}
