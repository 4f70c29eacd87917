// L2 normalisation of rows and cosine similarity (sentence-transformers' Normalize; TK's cosine match matrix).
//   y = x / max(‖x‖₂, eps) over the last axis          dx = (g − y·(g·y)) / ‖x‖   (where ‖x‖ > eps; else g/eps)
//   cosineMatrix(q [B,Q,H], d [B,D,H]) = normalize(q) · normalize(d)ᵀ  → [B,Q,D]
// Written as one op (not composed) so that the backward is exact and cheap; eps = 1e-12 as torch.nn.functional.normalize.

extension Tensor {
    /// Each row of the last axis divided by its L2 norm (rows with norm ≤ eps are divided by eps).
    public func l2Normalized(eps: Float = 1e-12) -> Tensor {
        precondition(rank >= 1, "l2Normalized needs rank ≥ 1")
        let cols = shape[rank - 1], rows = count / Swift.max(cols, 1)
        let out = Tensor(uninitialized: shape)
        let norms = TensorStorage(uninitializedCount: rows)
        let px = pointer, py = out.pointer, pn = norms.pointer
        for r in 0..<rows {
            let xr = px + r * cols, yr = py + r * cols
            var s = 0.0
            for j in 0..<cols { s += Double(xr[j]) * Double(xr[j]) }
            let nrm = Swift.max(Float(s.squareRoot()), eps)
            pn[r] = nrm
            let inv = 1 / nrm
            for j in 0..<cols { yr[j] = xr[j] * inv }
        }
        if Tensor.recording(self) {
            let ys = out.storage
            out.record([self]) { g in
                let pg = g.pointer, py = ys.pointer, pn = norms.pointer
                self.accumulateGrad { dx in
                    for r in 0..<rows {
                        let gr = pg + r * cols, yr = py + r * cols, dr = dx + r * cols
                        let nrm = pn[r]
                        if nrm <= eps {   // clamped: y = x/eps is linear in x
                            for j in 0..<cols { dr[j] += gr[j] / eps }
                            continue
                        }
                        var dot: Float = 0
                        for j in 0..<cols { dot += gr[j] * yr[j] }
                        let inv = 1 / nrm
                        for j in 0..<cols { dr[j] += (gr[j] - yr[j] * dot) * inv }
                    }
                }
            }
        }
        return out
    }

    /// Cosine similarity of every row of `a` [.., M, H] with every row of `b` [.., N, H] → [.., M, N].
    public static func cosineMatrix(_ a: Tensor, _ b: Tensor) -> Tensor {
        a.l2Normalized().matmul(b.l2Normalized(), transposeB: true)
    }
}
