// Layer normalisation over the last axis (BERT: eps 1e-12), via Kernels.layerNormRows.
//   x [.., H], gamma [H], beta [H]:  x̂ = (x − μ)·rstd,  rstd = 1/√(σ² + eps) (biased variance),  y = x̂·gamma + beta
//   dx = rstd·(ĝ − mean(ĝ) − x̂·mean(ĝ ⊙ x̂)) with ĝ = g ⊙ gamma;  dgamma = Σ_rows g ⊙ x̂;  dbeta = Σ_rows g

extension Tensor {
    /// Layer norm of each row of the last axis with affine parameters `gamma`, `beta` (both [H]).
    public func layerNorm(gamma: Tensor, beta: Tensor, eps: Float = 1e-12) -> Tensor {
        precondition(rank >= 1, "layerNorm needs rank ≥ 1")
        let cols = shape[rank - 1], rows = count / Swift.max(cols, 1)
        precondition(gamma.shape == [cols] && beta.shape == [cols],
                     "layerNorm of \(shape) needs gamma and beta of shape [\(cols)], got \(gamma.shape), \(beta.shape)")
        let out = Tensor(uninitialized: shape)
        let mean = TensorStorage(uninitializedCount: rows), rstd = TensorStorage(uninitializedCount: rows)
        Kernels.layerNormRows(pointer, gamma: gamma.pointer, beta: beta.pointer, out.pointer,
                              mean: mean.pointer, rstd: rstd.pointer, rows: rows, cols: cols, eps: eps)
        if Tensor.recording(self, gamma, beta) {
            let xs = storage, gs = gamma.storage
            out.record([self, gamma, beta]) { g in
                // The kernel writes dx and accumulates dgamma, dbeta; inputs that need no gradient get scratch.
                let scratch = TensorStorage(count: (gamma.requiresGrad ? 0 : cols) + (beta.requiresGrad ? 0 : cols))
                let dg = gamma.requiresGrad ? gamma.gradBufferForAccumulation() : scratch.pointer
                let db = beta.requiresGrad ? beta.gradBufferForAccumulation() : scratch.pointer + (gamma.requiresGrad ? 0 : cols)
                let backward = { (dx: UnsafeMutablePointer<Float>) in
                    Kernels.layerNormRowsBackward(xs.pointer, mean: mean.pointer, rstd: rstd.pointer, gamma: gs.pointer,
                                                  g.pointer, dx, dgamma: dg, dbeta: db, rows: rows, cols: cols)
                }
                if self.requiresGrad {
                    self.writeOrAccumulateGrad(backward)
                } else {
                    let dxScratch = TensorStorage(uninitializedCount: rows * cols)
                    backward(dxScratch.pointer)
                }
                withExtendedLifetime(scratch) {}
            }
        }
        return out
    }
}
