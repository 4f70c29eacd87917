// The latency panel (PaperALatency) prepares each query once — its candidates' cached representations, where the
// ranker caches — and times it in every round. Reusing a prepared query is sound only if scoring leaves the cache as
// it was; and a ranker that cannot cache scores the full pairs.
import Testing
import Student
import Tensors
@testable import Experiments

@Suite struct LatencyQueryTests {
    static func encoder() -> TransformerEncoder {
        TransformerEncoder(config: BertConfig(vocabSize: 110, hiddenSize: 16, numHiddenLayers: 2, numAttentionHeads: 2,
                                              intermediateSize: 32, maxPositionEmbeddings: 64), pooler: false, seed: 9)
    }

    static func sequences(_ seed: UInt64, count: Int, maxLength: Int) -> [[Int]] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in (0..<Int.random(in: 1...maxLength, using: &rng)).map { _ in Int.random(in: 5...59, using: &rng) } }
    }

    @Test func aPreparedQueryScoresTheSameInEveryRound() {
        let limits = InputLimits(maxQueryLength: 8, maxPassageLength: 24)
        let query = Self.sequences(1, count: 1, maxLength: 8)[0], passages = Self.sequences(2, count: 9, maxLength: 24)
        let dot = BertDot(encoder: Self.encoder(), limits: limits)
        let prepared = LatencyQuery(dot, query: query, passages: passages)
        guard let cache = prepared.cache else { Issue.record("BERT_DOT caches its passages"); return }
        let before = cache.states.scalars
        let first = dot.score(query: query, cached: cache)
        for _ in 0..<3 { #expect(prepared.time(dot) > 0) }
        let unchanged = cache.states.scalars == before, same = dot.score(query: query, cached: cache) == first
        #expect(unchanged && same, "scoring changed the cached passages")
        #expect(prepared.floats == 16 && prepared.floats == LatencyRecord.time(dot, query: query, passages: passages).floats)
    }

    @Test func aRankerThatCannotCacheIsTimedOnTheFullPairs() {
        let cat = BertCat(encoder: Self.encoder(), limits: InputLimits(maxQueryLength: 8, maxPassageLength: 24))
        let prepared = LatencyQuery(cat, query: [7, 8], passages: [[9, 10, 11], [12]])
        #expect(prepared.cache == nil && prepared.floats == 0 && prepared.time(cat) > 0)
    }

    @Test func reRankingOneQueryHoldsActivationsForItsCandidates() {
        // BERT_CAT on 64 full pairs of up to 32 tokens: at least its input states [64, 32, 16] (32 KiB) are held at
        // once, beyond what was held before (best of three tries: other tests share the process).
        let cat = BertCat(encoder: Self.encoder(), limits: InputLimits(maxQueryLength: 8, maxPassageLength: 24))
        let prepared = LatencyQuery(cat, query: Array(5..<13), passages: Self.sequences(3, count: 64, maxLength: 24))
        let grown = (0..<3).map { _ in prepared.timeAndMemory(cat) }
        #expect(grown.allSatisfy { $0.seconds > 0 } && grown.map(\.workingBytes).max()! >= 32 << 10, "\(grown)")
    }
}
