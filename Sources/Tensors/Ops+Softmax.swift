// Softmax and log-softmax over the last axis, with an optional additive or keep (0/1) mask.
// Rows are the last axis: x [.., N] is seen as [rows, N]. Stable: the row maximum is subtracted first (Kernels).
//
//   y = softmax(x + mask)      dx = y ⊙ (g − Σ_j g_j·y_j)                      (Kernels.softmaxRowsBackward)
//   y = log_softmax(x)         dx = g − softmax(x)·Σ_j g_j
// Masks broadcast against x (attention: x [B,h,S,S], mask [B,1,1,S]). A keep mask holds 1 for positions that take
// part and 0 for masked ones, which get probability exactly 0; a row with no kept position gives all zeros.
// The mask gets no gradient.

extension Tensor {
    /// Softmax over the last axis. `additiveMask` (broadcast to x, e.g. 0 / −10000 as BERT) is added first.
    public func softmax(additiveMask: Tensor? = nil) -> Tensor {
        precondition(rank >= 1, "softmax needs rank ≥ 1")
        let cols = shape[rank - 1], rows = count / Swift.max(cols, 1)
        let out: Tensor
        if let m = additiveMask, let perMaskRow = Self.maskRowsPerRow(mask: m.shape, scores: shape) {
            // The attention case, mask [B,1,…,1,N] against x [B,…,N]: added inside the softmax pass.
            out = Tensor(uninitialized: shape)
            let md = m.detached()
            Kernels.softmaxRows(pointer, out.pointer, rows: rows, cols: cols, additiveMask: md.pointer, rowsPerMaskRow: perMaskRow)
        } else if let m = additiveMask {
            out = withNoGrad { (self.detached() + m.detached()) }
            precondition(out.shape == shape, "softmax mask \(m.shape) must broadcast to \(shape) without growing it")
            Kernels.softmaxRows(out.pointer, out.pointer, rows: rows, cols: cols)
        } else {
            out = Tensor(uninitialized: shape)
            Kernels.softmaxRows(pointer, out.pointer, rows: rows, cols: cols)
        }
        if Tensor.recording(self) {
            let ys = out.storage
            out.record([self]) { g in
                self.writeOrAccumulateGrad { dx in
                    Kernels.softmaxRowsBackward(ys.pointer, g.pointer, dx, rows: rows, cols: cols)
                }
            }
        }
        return out
    }

    /// `softmax(additiveMask:)` written over this tensor's own values, and this tensor returned: for attention scores
    /// nothing else reads (inference), whose probabilities then need no second buffer. The same bits. Only while no
    /// gradient is recorded through it, and never on a parameter; a mask that is not an attention mask [B,1,…,1,N]
    /// against these scores gets `softmax(additiveMask:)`.
    public func softmaxInPlace(additiveMask m: Tensor) -> Tensor {
        precondition(!Tensor.recording(self) && !(isLeaf && requiresGrad),
                     "softmaxInPlace would overwrite a value a gradient or an optimiser needs: use softmax(additiveMask:)")
        guard rank >= 1, let perMaskRow = Self.maskRowsPerRow(mask: m.shape, scores: shape) else {
            return softmax(additiveMask: m)
        }
        let cols = shape[rank - 1], rows = count / Swift.max(cols, 1), md = m.detached()
        Kernels.softmaxRows(pointer, pointer, rows: rows, cols: cols, additiveMask: md.pointer, rowsPerMaskRow: perMaskRow)
        return self
    }

    /// How many rows of `scores` share one row of `mask` when the mask is [B,1,…,1,N] against scores [B,…,N] (an
    /// attention mask against attention scores), else nil.
    static func maskRowsPerRow(mask: [Int], scores: [Int]) -> Int? {
        guard mask.count == scores.count, scores.count >= 2, mask.first == scores.first, mask.last == scores.last,
              mask.dropFirst().dropLast().allSatisfy({ $0 == 1 }) else { return nil }
        let inner = scores.dropFirst().dropLast().reduce(1, *)
        return inner > 0 ? inner : nil
    }

    /// Softmax over the last axis where `keepMask` (0/1, broadcast to x) is 1; masked positions get exactly 0.
    public func softmax(keepMask: Tensor) -> Tensor {
        let additive = withNoGrad { keepMask.detached().unaryMap({ $0 != 0 ? 0 : -Float.infinity }, derivative: { _, _ in 0 }) }
        return softmax(additiveMask: additive)
    }

    /// log(softmax(x)) over the last axis, computed as x − max − log Σ exp(x − max).
    public func logSoftmax() -> Tensor {
        precondition(rank >= 1, "logSoftmax needs rank ≥ 1")
        let cols = shape[rank - 1], rows = count / Swift.max(cols, 1)
        let out = Tensor(uninitialized: shape)
        let px = pointer, py = out.pointer
        for r in 0..<rows {
            let xr = px + r * cols, yr = py + r * cols
            var mx = -Float.infinity
            for j in 0..<cols { mx = Swift.max(mx, xr[j]) }
            var s = 0.0
            for j in 0..<cols { s += Double(LibM.exp(xr[j] - mx)) }
            let lse = mx + Float(LibM.log(s))
            for j in 0..<cols { yr[j] = xr[j] - lse }
        }
        if Tensor.recording(self) {
            let ys = out.storage
            out.record([self]) { g in
                let pg = g.pointer, py = ys.pointer
                self.accumulateGrad { dx in
                    for r in 0..<rows {
                        let gr = pg + r * cols, yr = py + r * cols, dr = dx + r * cols
                        var sg: Float = 0
                        for j in 0..<cols { sg += gr[j] }
                        for j in 0..<cols { dr[j] += gr[j] - LibM.exp(yr[j]) * sg }
                    }
                }
            }
        }
        return out
    }
}
