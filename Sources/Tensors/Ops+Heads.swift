// Attention's per-head products on [B,S,H] tensors read in place: head a is the columns a·d‥<(a+1)·d of every row.
//
//   attentionScores:  S[b,a] = α · Q[b,:,a] · K[b,:,a]ᵀ       q [B,Sq,H], k [B,Sk,H] → [B,h,Sq,Sk]
//   attentionContext: C[b,:,a] = P[b,a] · V[b,:,a]            p [B,h,Sq,Sk], v [B,Sk,H] → [B,Sq,H]
//
// They are splitHeads → matmul → mergeHeads without the copies: per layer and step, three head splits and a merge
// forward and their four scatter-adds backward (Q, K, V and the context each pass through memory twice more). Every
// product is the one `matmul` computes on the copies, with each element's terms added in the same order, so the
// values are the same bits (tested against the composed ops, forward and backward).
//
// Backward, per head (as `matmul`'s: A = Q, B = K transposed; A = P, B = V):
//   scores:  dQ = α·dS·K  (NN),   dK = α·dSᵀ·Q  (TN)
//   context: dP = dC·Vᵀ   (NT),   dV = Pᵀ·dC    (TN)
// with Q, K, V, dQ, dK, dV, C and dC at row stride H and head stride d, and S, P, dS, dP contiguous [Sq,Sk] per
// head. Self-attention has Sq = Sk = S; a layer whose output is read at the first token only
// (`BertLayer.firstToken`) asks with Sq = 1.

extension Tensor {
    /// Scaled dot products of every head: `alpha`·Q_a·K_aᵀ [B,h,Sq,Sk] from queries `self` [B,Sq,H] and keys `keys`
    /// [B,Sk,H], H = h·d. The same values as `splitHeads(h).matmul(keys.splitHeads(h), transposeB: true, alpha:)`.
    /// Sq is S for self-attention, 1 when only the first token's attention is wanted (`BertLayer.firstToken`).
    public func attentionScores(_ keys: Tensor, heads: Int, alpha: Float = 1) -> Tensor {
        let q = self, k = keys
        precondition(q.rank == 3 && k.rank == 3 && q.shape[0] == k.shape[0] && q.shape[2] == k.shape[2]
                     && q.shape[2] % heads == 0,
                     "attentionScores needs queries [B,Sq,H] and keys [B,Sk,H] with H % \(heads) == 0, got \(q.shape) and \(k.shape)")
        let b = q.shape[0], sq = q.shape[1], sk = k.shape[1], h = q.shape[2], d = h / heads
        let out = Tensor(uninitialized: [b, heads, sq, sk])
        Kernels.sgemmHeads(transA: false, transB: true, m: sq, n: sk, k: d, alpha: alpha,
                           a: q.pointer, lda: h, strideA: sq * h, headStrideA: d,
                           b: k.pointer, ldb: h, strideB: sk * h, headStrideB: d,
                           beta: 0, c: out.pointer, ldc: sk, strideC: heads * sq * sk, headStrideC: sq * sk,
                           batch: b, heads: heads)
        if Tensor.recording(q, k) {
            let qS = q.storage, kS = k.storage
            out.record([q, k]) { g in
                let pg = g.pointer
                q.accumulateGrad { dq in       // dQ_a = α·dS_a·K_a
                    Kernels.sgemmHeads(transA: false, transB: false, m: sq, n: d, k: sk, alpha: alpha,
                                       a: pg, lda: sk, strideA: heads * sq * sk, headStrideA: sq * sk,
                                       b: kS.pointer, ldb: h, strideB: sk * h, headStrideB: d,
                                       beta: 1, c: dq, ldc: h, strideC: sq * h, headStrideC: d, batch: b, heads: heads)
                }
                k.accumulateGrad { dk in       // dK_a = α·dS_aᵀ·Q_a
                    Kernels.sgemmHeads(transA: true, transB: false, m: sk, n: d, k: sq, alpha: alpha,
                                       a: pg, lda: sk, strideA: heads * sq * sk, headStrideA: sq * sk,
                                       b: qS.pointer, ldb: h, strideB: sq * h, headStrideB: d,
                                       beta: 1, c: dk, ldc: h, strideC: sk * h, headStrideC: d, batch: b, heads: heads)
                }
            }
        }
        return out
    }

    /// Every head's context P_a·V_a written into that head's columns: probabilities `self` [B,h,Sq,Sk], values
    /// `values` [B,Sk,H] → [B,Sq,H]. The same values as `matmul(values.splitHeads(h)).mergeHeads()`.
    public func attentionContext(_ values: Tensor) -> Tensor {
        let p = self, v = values
        precondition(p.rank == 4 && v.rank == 3 && p.shape[0] == v.shape[0] && p.shape[3] == v.shape[1]
                     && v.shape[2] % p.shape[1] == 0,
                     "attentionContext needs probabilities [B,h,Sq,Sk] and values [B,Sk,H], got \(p.shape) and \(v.shape)")
        let b = v.shape[0], sq = p.shape[2], sk = v.shape[1], h = v.shape[2], heads = p.shape[1], d = h / heads
        let out = Tensor(uninitialized: [b, sq, h])
        Kernels.sgemmHeads(transA: false, transB: false, m: sq, n: d, k: sk, alpha: 1,
                           a: p.pointer, lda: sk, strideA: heads * sq * sk, headStrideA: sq * sk,
                           b: v.pointer, ldb: h, strideB: sk * h, headStrideB: d,
                           beta: 0, c: out.pointer, ldc: h, strideC: sq * h, headStrideC: d, batch: b, heads: heads)
        if Tensor.recording(p, v) {
            let pS = p.storage, vS = v.storage
            out.record([p, v]) { g in
                let pg = g.pointer
                p.accumulateGrad { dp in       // dP_a = dC_a·V_aᵀ
                    Kernels.sgemmHeads(transA: false, transB: true, m: sq, n: sk, k: d, alpha: 1,
                                       a: pg, lda: h, strideA: sq * h, headStrideA: d,
                                       b: vS.pointer, ldb: h, strideB: sk * h, headStrideB: d,
                                       beta: 1, c: dp, ldc: sk, strideC: heads * sq * sk, headStrideC: sq * sk,
                                       batch: b, heads: heads)
                }
                v.accumulateGrad { dv in       // dV_a = P_aᵀ·dC_a
                    Kernels.sgemmHeads(transA: true, transB: false, m: sk, n: d, k: sq, alpha: 1,
                                       a: pS.pointer, lda: sk, strideA: heads * sq * sk, headStrideA: sq * sk,
                                       b: pg, ldb: h, strideB: sq * h, headStrideB: d,
                                       beta: 1, c: dv, ldc: h, strideC: sk * h, headStrideC: d, batch: b, heads: heads)
                }
            }
        }
        return out
    }
}
