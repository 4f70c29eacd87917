// Table E's pool encoding (`Experiments.embed`) takes the passages a student already re-ranked from its
// `PassageVectorMemo` and encodes the rest: the same vectors, bit for bit, as encoding the whole pool.
import Testing
import Student
import Tensors
@testable import Experiments

@Suite struct DensePoolTests {
    @Test func aPoolHalfKnownFromReRankingEncodesToTheSameBits() {
        let dot = BertDot(encoder: LatencyQueryTests.encoder(), limits: InputLimits(maxQueryLength: 8, maxPassageLength: 24))
        let pool = LatencyQueryTests.sequences(4, count: 150, maxLength: 30)
        let whole = Experiments.embed(dot, pool, isQuery: false)
        let memo = PassageVectorMemo()
        _ = dot.rerank(query: [7, 8, 9], passages: Array(pool[40..<110]), grouping: LengthGrouping(), memo: memo)
        let known = memo.count
        #expect(known == Set(pool[40..<110]).count)
        let reused = Experiments.embed(dot, pool, isQuery: false, memo: memo)
        #expect(reused == whole, "the pool's vectors changed")
        #expect(memo.count == Set(pool).count, "every passage of the pool is remembered afterwards")
        let queries = Experiments.embed(dot, Array(pool[0..<5]), isQuery: true, memo: memo)
        #expect(queries == Experiments.embed(dot, Array(pool[0..<5]), isQuery: true), "queries never come from the memo")
    }
}
