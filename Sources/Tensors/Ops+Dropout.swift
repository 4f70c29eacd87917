// Inverted dropout: in training each element is kept with probability 1 − p and scaled by 1/(1 − p), so the
// expected value is unchanged and evaluation is the identity.
//   y = x ⊙ m,  m_i = [u_i ≥ p] / (1 − p),  u_i ~ U[0,1) from the caller's seeded Xoshiro256   dx = g ⊙ m
// Identity (no copy, no random draws) when `training` is false, p = 0, or grad mode is off (inference).

extension Tensor {
    /// Inverted dropout with drop probability `p`, drawing from `rng`.
    public func dropout(_ p: Float, training: Bool, rng: inout Xoshiro256) -> Tensor {
        precondition(p >= 0 && p < 1, "dropout probability must be in [0, 1), got \(p)")
        guard training, p > 0, GradMode.isEnabled else { return self }
        let n = count
        let mask = TensorStorage(uninitializedCount: n)
        let pm = mask.pointer, scale = 1 / (1 - p)
        // Two 24-bit uniforms per 64-bit draw.
        var i = 0
        while i < n {
            let r = rng.next()
            pm[i] = Float((r >> 40) & 0xFF_FFFF) * 0x1p-24 >= p ? scale : 0
            if i + 1 < n { pm[i + 1] = Float((r >> 8) & 0xFF_FFFF) * 0x1p-24 >= p ? scale : 0 }
            i += 2
        }
        let out = Tensor(uninitialized: shape)
        let px = pointer, py = out.pointer
        for j in 0..<n { py[j] = px[j] * pm[j] }
        if Tensor.recording(self) {
            out.record([self]) { g in
                let pg = g.pointer
                self.accumulateGrad { dx in for j in 0..<n { dx[j] += pg[j] * mask.pointer[j] } }
            }
        }
        return out
    }
}
