// The rankers' scoring heads, composed from the ops and gradient-checked as a whole (the Student module builds the
// real ones; these show the ops compose as the architectures need — Margin-MSE digest §2.5).
// Letters: B batch, Q query tokens, D document tokens, H hidden, K kernels.

import Testing
import PropertyTesting
import Tensors

@Suite struct RankerHeadTests {
    /// ColBERT: s = Σ_i qmask_i · max_j (q̂_i · d̂_j, padded j set to −1000).
    static func colbert(_ q: Tensor, _ d: Tensor, qMask: Tensor, dMask: Tensor) -> Tensor {
        let sim = q.matmul(d, transposeB: true)                                     // [B,Q,D]
        let masked = sim.maskedFill(1 - dMask.unsqueezed(1), value: -1000)          // dMask [B,D] → [B,1,D]
        return (masked.max(axis: -1) * qMask).sum(axis: -1)                         // [B]
    }

    /// TK kernel pooling: M = cos(q, d) [B,Q,D]; K_k(i) = Σ_j exp(−(M_ij − μ_k)²/(2σ²))·dmask_j;
    /// φ_k = Σ_i qmask_i · log(max(K_k(i)·a_k, 1e−10)); s = w·φ.
    static func tk(_ q: Tensor, _ d: Tensor, qMask: Tensor, dMask: Tensor, scaler: Tensor, w: Tensor) -> Tensor {
        let mu = Tensor(shape: [5], scalars: [1, 0.5, 0, -0.5, -0.9]), sigma: Float = 0.3
        let m = Tensor.cosineMatrix(q, d).unsqueezed(-1)                            // [B,Q,D,1]
        let k = ((m - mu).square() * (-1 / (2 * sigma * sigma))).exp()             // [B,Q,D,K]
        let perQuery = (k * dMask.unsqueezed(1).unsqueezed(-1)).sum(axis: 2)       // [B,Q,K]
        let phi = ((perQuery * scaler).clampMin(1e-10).log() * qMask.unsqueezed(-1)).sum(axis: 1)   // [B,K]
        return phi.linear(weight: w).squeezed(-1)                                   // [B]
    }

    private static var sizes: Gen<(Int, Int, Int)> { .zip(.int(in: 1...2), .int(in: 1...3), .int(in: 0...100_000)) }

    @Test func colbertMaxSimGradients() {
        propertyCheck(Self.sizes, cases: 10) { (b, qn, seed) in
            let s = UInt64(seed), dn = qn + 2
            let q = randomTensor([b, qn, 4], seed: s), d = randomTensor([b, dn, 4], seed: s &+ 1)
            let qMask = Tensor(shape: [b, qn], scalars: (0..<(b * qn)).map { $0 % qn == qn - 1 && qn > 1 ? 0 : 1 })
            let dMask = Tensor(shape: [b, dn], scalars: (0..<(b * dn)).map { $0 % dn == dn - 1 ? 0 : 1 })
            try requireGradients([q, d], "colbert") { Self.colbert(q, d, qMask: qMask, dMask: dMask) }
            // Padding does not change the score.
            let score = Self.colbert(q, d, qMask: qMask, dMask: dMask)
            let d2 = d.detached() * 1
            for i in 0..<b { for c in 0..<4 { d2[i, dn - 1, c] = 50 } }
            try require(maxAbsDiff(Self.colbert(q, d2, qMask: qMask, dMask: dMask).scalars, score.scalars) == 0,
                        "a padded passage token changed the ColBERT score")
        }
    }

    @Test func tkKernelPoolingGradients() {
        propertyCheck(Self.sizes, cases: 10) { (b, qn, seed) in
            let s = UInt64(seed), dn = qn + 1
            let q = randomTensor([b, qn, 3], seed: s), d = randomTensor([b, dn, 3], seed: s &+ 1)
            let qMask = Tensor(repeating: 1, shape: [b, qn])
            let dMask = Tensor(shape: [b, dn], scalars: (0..<(b * dn)).map { $0 % dn == dn - 1 ? 0 : 1 })
            let scaler = randomTensor([5], seed: s &+ 2, in: 0.5...1.5), w = randomTensor([1, 5], seed: s &+ 3)
            try requireGradients([q, d, scaler, w], atol: 2e-3, rtol: 2e-2, step: 2e-3, "tk") {
                Self.tk(q, d, qMask: qMask, dMask: dMask, scaler: scaler, w: w)
            }
        }
    }

    @Test func meanPoolingNormalizeAndInBatchDotGradients() {
        // Sentence-transformers: masked mean over tokens, L2-normalise; BERT_DOT in-batch scores q·dᵀ with CE.
        propertyCheck(Self.sizes, cases: 10) { (b, n, seed) in
            let s = UInt64(seed), bb = b + 1
            let tokens = randomTensor([bb, n + 1, 4], seed: s), other = randomTensor([bb, 4], seed: s &+ 1)
            let mask = Tensor(shape: [bb, n + 1, 1], scalars: (0..<(bb * (n + 1))).map { $0 % (n + 1) == n && n > 0 ? 0 : 1 })
            try requireGradients([tokens, other], "pool+normalise+in-batch CE") {
                let pooled = ((tokens * mask).sum(axis: 1) / mask.sum(axis: 1)).l2Normalized()   // [B,H]
                return Tensor.crossEntropyLoss(pooled.matmul(other, transposeB: true) * 5, targets: Array(0..<bb))
            }
        }
    }
}
