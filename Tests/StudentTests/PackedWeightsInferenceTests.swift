// Inference inside `Kernels.withPackedWeights` (PackedWeights.swift): `embed` and `rerank` open a scope per call, and a
// caller may hold one scope over many calls (a latency loop, a server). Either way the scores and embeddings are the
// bits of the unscoped forward, at one thread and at two.

import Testing
import Tensors
import Student
import PropertyTesting
import RankerTesting

@Suite struct PackedWeightsInferenceTests {
    /// An encoder whose products are large enough for the packed GEMM path (hidden 96, intermediate 192).
    static func encoder(seed: UInt64) -> TransformerEncoder {
        let c = BertConfig(vocabSize: 60, hiddenSize: 96, numHiddenLayers: 2, numAttentionHeads: 2,
                           intermediateSize: 192, hiddenAct: "gelu", maxPositionEmbeddings: 64, typeVocabSize: 2,
                           layerNormEps: 1e-12, padTokenId: 0, modelType: "bert", positionEmbeddingType: "absolute")
        return TransformerEncoder(config: c, seed: seed)
    }

    static func sequences(_ seed: UInt64, count: Int) -> [[Int]] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            let length = Int.random(in: 1...40, using: &rng)
            let pieces = (0..<length).map { _ in Int.random(in: 5...59, using: &rng) }
            return [Tiny.specials.cls] + pieces + [Tiny.specials.sep]
        }
    }

    @Test func embeddingsInOneLongScopeAreTheUnscopedBits() {
        let saved = Kernels.threadCount
        defer { Kernels.threadCount = saved }
        let model = SentenceEncoder(encoder: Self.encoder(seed: 41), pooling: .mean, dense: [], normalize: true,
                                    maxSeqLength: 60)
        let first = Self.sequences(1, count: 9), second = Self.sequences(2, count: 5)
        for threads in [1, 2] {
            Kernels.threadCount = threads
            // Unscoped: the forward itself, batch by batch, outside any scope.
            let plain = withNoGrad { (first + second).map { model(EncoderInput(sequences: [$0])).scalars } }
            let perCall = (first + second).map { model.embed(ids: [$0], batchSize: 1)[0] }
            let held = Kernels.withPackedWeights { (first + second).map { model.embed(ids: [$0], batchSize: 1)[0] } }
            let batched = model.embed(ids: first, batchSize: 4) + model.embed(ids: second, batchSize: 3)
            let samePerCall = perCall == plain, sameHeld = held == plain
            #expect(samePerCall, "\(threads) threads: a scope per call")
            #expect(sameHeld, "\(threads) threads: one scope over all calls")
            #expect(batched.count == plain.count && batched.allSatisfy { $0.allSatisfy(\.isFinite) })
        }
    }

    @Test func rerankInOneLongScopeGivesTheUnscopedScores() {
        let saved = Kernels.threadCount
        defer { Kernels.threadCount = saved }
        let ranker = BertDot(encoder: Self.encoder(seed: 43),
                             limits: InputLimits(maxQueryLength: 10, maxPassageLength: 40), specials: Tiny.specials)
        let queries = Self.sequences(3, count: 3).map { Array($0.dropFirst().dropLast().prefix(10)) }
        let passages = Self.sequences(4, count: 7).map { Array($0.dropFirst().dropLast()) }
        let grouping = LengthGrouping(tokenBudget: 64)
        for threads in [1, 2] {
            Kernels.threadCount = threads
            let plain = queries.map { q in
                let pairs = passages.map { RankerPair(query: q, passage: $0) }
                return withNoGrad { ranker.score(pairs, grouping: grouping) }.scalars
            }
            func reranked() -> [[Float]] {
                queries.map { ranker.rerank(query: $0, passages: passages, grouping: grouping) }
            }
            let perCall = reranked()
            let held = Kernels.withPackedWeights { reranked() }
            let samePerCall = perCall == plain, sameHeld = held == plain
            #expect(samePerCall, "\(threads) threads: a scope per call")
            #expect(sameHeld, "\(threads) threads: one scope over all calls")
        }
    }
}
