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
                // The kernel writes dx and accumulates dgamma, dbeta; parameters that need no gradient get scratch.
                let scratchG = gamma.requiresGrad ? nil : TensorStorage(count: cols)
                let scratchB = beta.requiresGrad ? nil : TensorStorage(count: cols)
                var dgP = scratchG?.pointer, dbP = scratchB?.pointer
                if dgP == nil { gamma.accumulateGrad { dgP = $0 } }
                if dbP == nil { beta.accumulateGrad { dbP = $0 } }
                let dxScratch = self.requiresGrad ? nil : TensorStorage(uninitializedCount: rows * cols)
                if let s = dxScratch {
                    Kernels.layerNormRowsBackward(xs.pointer, mean: mean.pointer, rstd: rstd.pointer, gamma: gs.pointer,
                                                  g.pointer, s.pointer, dgamma: dgP!, dbeta: dbP!, rows: rows, cols: cols)
                } else {
                    self.writeOrAccumulateGrad { dx in
                        Kernels.layerNormRowsBackward(xs.pointer, mean: mean.pointer, rstd: rstd.pointer,
                                                      gamma: gs.pointer, g.pointer, dx, dgamma: dgP!, dbeta: dbP!,
                                                      rows: rows, cols: cols)
                    }
                }
            }
        }
        return out
    }
}
