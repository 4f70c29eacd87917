// BERT_DOT's vectors with each text encoded once (Student/DenseVectors.swift): a passage's vector is the same bits in
// every batch and length group, so re-ranking with the query encoded once and the passages taken from a memo gives
// `score`'s scores exactly — on the tiny encoder and on one large enough for threaded matrix products.

import Testing
import RankerTesting
import Tensors
import PropertyTesting
@testable import Student

@Suite struct DenseVectorsTests {
    /// Hidden 64 in two heads of 32 (the MiniLM head size), so that a batch's products are threaded and packed.
    static func wideDot(seed: UInt64) -> BertDot {
        let c = BertConfig(vocabSize: 40, hiddenSize: 64, numHiddenLayers: 2, numAttentionHeads: 2,
                           intermediateSize: 128, hiddenAct: "gelu", maxPositionEmbeddings: 80, typeVocabSize: 2,
                           layerNormEps: 1e-12, padTokenId: 0, modelType: "bert", positionEmbeddingType: "absolute")
        return BertDot(encoder: TransformerEncoder(config: c, seed: seed), limits: InputLimits(maxQueryLength: 12, maxPassageLength: 60),
                       specials: Tiny.specials)
    }

    static func tinyDot(seed: UInt64) -> BertDot {
        BertDot(encoder: Tiny.encoder(seed: seed), limits: Tiny.limits, specials: Tiny.specials)
    }

    static var passages: Gen<[[Int]]> { Gen<[[Int]]>.array(of: Gen<[Int]>.array(of: .int(in: 5...39), count: 1...70), count: 1...48) }

    @Test(arguments: [false, true])
    func aPassagesVectorIsTheSameInEveryBatch(wide: Bool) {
        let dot = wide ? Self.wideDot(seed: 5) : Self.tinyDot(seed: 5)
        propertyCheck(Gen<([[Int]], Int)>.zip(Self.passages, .int(in: 1...400)), cases: wide ? 6 : 25) { texts, budget in
            let whole = withNoGrad { dot.encode(texts, isQuery: false) }.scalars
            let h = dot.encoder.hiddenSize
            let grouped = dot.vectors(texts, isQuery: false, grouping: LengthGrouping(tokenBudget: budget))
            for (i, t) in texts.enumerated() {
                let alone = withNoGrad { dot.encode([t], isQuery: false) }.scalars
                let inBatch = Array(whole[(i * h)..<((i + 1) * h)])
                try require(alone == inBatch, "passage \(i) alone differs from passage \(i) in the batch of \(texts.count)")
                try require(grouped[i] == inBatch, "passage \(i) in groups of ≤ \(budget) tokens differs")
            }
        }
    }

    @Test(arguments: [false, true])
    func rerankingWithEachTextEncodedOnceGivesScoresBitsAndFillsTheMemo(wide: Bool) {
        let dot = wide ? Self.wideDot(seed: 9) : Self.tinyDot(seed: 9)
        let query = Gen<[Int]>.array(of: .int(in: 5...39), count: 1...14)
        propertyCheck(Gen<([Int], [[Int]])>.zip(query, Self.passages), cases: wide ? 6 : 25) { q, texts in
            let pairs = texts.map { RankerPair(query: q, passage: $0) }
            let expected = withNoGrad { dot.score(pairs, grouping: LengthGrouping()) }.scalars
            let memo = PassageVectorMemo()
            let first = dot.rerank(query: q, passages: texts, grouping: LengthGrouping(), memo: memo)
            try require(first == expected, "re-ranking differs from score on the pairs")
            try require(memo.count == Set(texts).count, "memo holds \(memo.count) of \(Set(texts).count) passages")
            let again = dot.rerank(query: q, passages: texts.reversed(), grouping: LengthGrouping(tokenBudget: 37), memo: memo)
            try require(again == expected.reversed(), "re-ranking from the memo differs")
            try require(dot.rerank(query: q, passages: texts) == expected, "without a memo")
        }
    }

    @Test func theMemosVectorIsTheOneUsed() {
        let dot = Self.tinyDot(seed: 3)
        let memo = PassageVectorMemo()
        let q = [7, 8, 9], p = [10, 11, 12, 13]
        let h = dot.encoder.hiddenSize
        memo.remember(p, (0..<h).map { Float($0 % 3) })
        let qv = withNoGrad { dot.encode([q], isQuery: true) }.scalars
        let expected = Float(zip(qv, (0..<h).map { Double($0 % 3) }).reduce(0.0) { $0 + Double($1.0) * $1.1 })
        let score = dot.rerank(query: q, passages: [p], grouping: LengthGrouping(), memo: memo)[0]
        #expect(abs(score - expected) <= 1e-5 * max(1, abs(expected)), "\(score) vs q·(remembered vector) \(expected)")
        #expect(score != dot.rerank(query: q, passages: [p])[0], "the remembered vector was not used")
        #expect(memo.count == 1, "a query is never remembered")
    }
}
