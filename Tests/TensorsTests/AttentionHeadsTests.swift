// Attention's per-head products read in place (Ops+Heads.swift) against the composed ops they replace —
// splitHeads → matmul → mergeHeads — bit for bit, forward and backward, on shapes with ragged tiles (S not a multiple
// of the micro-kernel's rows or columns), head sizes of 8 and 32 (MiniLM's), one to many products (threaded), and
// queries as many as the keys (self-attention) or fewer (one, as `BertLayer.firstToken` asks).

import Testing
import PropertyTesting
import Tensors

@Suite struct AttentionHeadsTests {
    struct Case: CustomStringConvertible {
        var batch: Int, length: Int, heads: Int, headSize: Int, seed: UInt64
        /// Queries per sequence: `length` (self-attention) or fewer.
        var queries: Int
        var description: String { "B \(batch) Sq \(queries) Sk \(length) h \(heads) d \(headSize)" }
    }

    static var cases: Gen<Case> {
        Gen<((Int, Int), (Int, Int, Int))>.zip(Gen<(Int, Int)>.zip(.int(in: 1...4), .int(in: 1...45)),
                                               Gen<(Int, Int, Int)>.zip(.int(in: 1...4), .element(of: [8, 32]),
                                                                        .int(in: 0...1_000_000)))
            .map { v in
                // A third of the cases self-attention, a third one query, a third a seeded count in between.
                let s = v.0.1, seed = v.1.2
                let queries = [s, 1, 1 + seed / 3 % s][seed % 3]
                return Case(batch: v.0.0, length: s, heads: v.1.0, headSize: v.1.1, seed: UInt64(seed), queries: queries)
            }
    }

    /// Scores, probabilities' context and every input gradient of one attention, through `fused` or composed ops.
    static func attention(_ c: Case, fused: Bool) -> [[Float]] {
        var rng = Xoshiro256(seed: c.seed)
        let shape = [c.batch, c.length, c.heads * c.headSize], queryShape = [c.batch, c.queries, c.heads * c.headSize]
        let q = Tensor.randomNormal(queryShape, rng: &rng, requiresGrad: true)
        let k = Tensor.randomNormal(shape, rng: &rng, requiresGrad: true)
        let v = Tensor.randomNormal(shape, rng: &rng, requiresGrad: true)
        let upstream = Tensor.randomNormal(queryShape, rng: &rng)
        let alpha = 1 / Float(c.headSize).squareRoot()
        let scores = fused ? q.attentionScores(k, heads: c.heads, alpha: alpha)
            : q.splitHeads(c.heads).matmul(k.splitHeads(c.heads), transposeB: true, alpha: alpha)
        let probs = scores.softmax()
        let context = fused ? probs.attentionContext(v) : probs.matmul(v.splitHeads(c.heads)).mergeHeads()
        withGrad { (context * upstream).sum().backward() }
        return [scores.scalars, context.scalars, q.grad!.scalars, k.grad!.scalars, v.grad!.scalars]
    }

    @Test func headProductsInPlaceAreTheComposedOpsBitForBit() {
        let names = ["scores", "context", "dQ", "dK", "dV"]
        propertyCheck(Self.cases, cases: 60) { c in
            let fused = withGrad { Self.attention(c, fused: true) }
            let composed = withGrad { Self.attention(c, fused: false) }
            for (name, (a, b)) in zip(names, zip(fused, composed)) {
                try require(a == b, "\(c): \(name) differs (largest gap \(zip(a, b).map { abs($0 - $1) }.max() ?? 0))")
            }
        }
    }

    @Test func aBatchOfManyHeadsIsThreadedAndStillTheSame() {
        // 8 × 12 products of 77 × 77 × 32: enough work to be split over threads.
        for queries in [77, 1] {
            let c = Case(batch: 8, length: 77, heads: 12, headSize: 32, seed: 5, queries: queries)
            let fused = withGrad { Self.attention(c, fused: true) }, composed = withGrad { Self.attention(c, fused: false) }
            let differing = zip(["scores", "context", "dQ", "dK", "dV"], zip(fused, composed)).filter { $0.1.0 != $0.1.1 }.map(\.0)
            #expect(differing.isEmpty, "\(c): \(differing) differ")
        }
    }
}
