// Kernel pooling, the soft match counting of KNRM/TK (Margin-MSE §2.5, TK): for a match matrix M [N,Q,P] (cosines
// of query token i and passage token j) and a passage mask [N,P], the soft count of matches near each kernel centre
//
//   K[n,i,k] = Σ_j exp(−(M[n,i,j] − μ_k)² / (2σ²)) · mask[n,j]                  [N,Q,K]
//   ∂K[n,i,k]/∂M[n,i,j] = −exp(…) · (M[n,i,j] − μ_k)/σ² · mask[n,j]
//
// as one fused op. Written as composed ops (subtract the centres, square, scale, exp, mask, sum over j: the readable
// reference, which the tests hold this to) it materialises five [N,Q,P,K] tensors — for re-ranking 100 passages of
// 200 tokens against a 10-token query, eleven kernels: 2.2 M floats each — and made TK slower than ColBERT. Here each
// (n, i) row of M is read once per kernel in SIMD16 steps with the vectorised exp, and nothing of size N·Q·P·K is
// stored: the backward recomputes the exponentials.
// Leaves out: learned centres or widths (TK fixes both), masking query tokens (the caller sums over i with its mask).

extension Tensor {
    /// Kernel pooling of the match matrix `self` [N,Q,P] with `mask` [N,P] (1 for real passage tokens, 0 for padding)
    /// and RBF kernels at `centres` of width `sigma`: [N,Q,K] (formula in the file comment). Differentiable in `self`.
    public func kernelPooling(passageMask mask: Tensor, centres: [Float], sigma: Float) -> Tensor {
        precondition(rank == 3, "kernelPooling: expected a match matrix [N,Q,P], got \(shape)")
        let n = shape[0], q = shape[1], p = shape[2], k = centres.count
        precondition(mask.shape == [n, p], "kernelPooling: mask \(mask.shape) does not match [N,P] = [\(n),\(p)]")
        let out = Tensor(uninitialized: [n, q, k])
        let scale = -1 / (2 * sigma * sigma)
        let m = storage, pm = mask.storage
        Kernels.parallelFor(count: n * q, minChunk: 8) { rows in
            for r in rows {
                kernelPoolingRow(m.pointer + r * p, pm.pointer + (r / q) * p, p, centres, scale, out.pointer + r * k)
            }
        }
        if Tensor.recording(self) {
            out.record([self]) { g in
                self.writeOrAccumulateGrad { dm in
                    Kernels.parallelFor(count: n * q, minChunk: 8) { rows in
                        for r in rows {
                            kernelPoolingRowBackward(m.pointer + r * p, pm.pointer + (r / q) * p, p, centres, scale,
                                                     sigma, g.pointer + r * k, dm + r * p)
                        }
                    }
                }
            }
        }
        return out
    }
}

/// out[k] = Σ_j exp(scale·(m[j] − μ_k)²)·mask[j] for one row of P entries.
@inline(__always)
private func kernelPoolingRow(_ m: UnsafePointer<Float>, _ mask: UnsafePointer<Float>, _ p: Int, _ centres: [Float],
                              _ scale: Float, _ out: UnsafeMutablePointer<Float>) {
    for (c, mu) in centres.enumerated() {
        var acc = Vec(), j = 0
        let muv = vsplat(mu), sv = vsplat(scale)
        while j + 16 <= p {
            let d = loadVector(m + j) - muv
            acc += vexp(d * d * sv) * loadVector(mask + j)
            j += 16
        }
        if j < p {
            let d = loadPartial(m + j, p - j, fill: 0) - muv
            acc += vexp(d * d * sv) * loadPartial(mask + j, p - j, fill: 0)
        }
        out[c] = acc.sum()
    }
}

/// dm[j] = Σ_k g[k]·exp(scale·(m[j] − μ_k)²)·(−(m[j] − μ_k)/σ²)·mask[j] for one row (written, not accumulated).
@inline(__always)
private func kernelPoolingRowBackward(_ m: UnsafePointer<Float>, _ mask: UnsafePointer<Float>, _ p: Int,
                                      _ centres: [Float], _ scale: Float, _ sigma: Float, _ g: UnsafePointer<Float>,
                                      _ dm: UnsafeMutablePointer<Float>) {
    let inv = vsplat(-1 / (sigma * sigma)), sv = vsplat(scale)
    var j = 0
    while j < p {
        let count = min(16, p - j)
        let x = loadPartial(m + j, count, fill: 0)
        var acc = Vec()
        for (c, mu) in centres.enumerated() {
            let d = x - vsplat(mu)
            acc += vsplat(g[c]) * vexp(d * d * sv) * d
        }
        storePartial(acc * inv * loadPartial(mask + j, count, fill: 0), dm + j, count)
        j += 16
    }
}
