// Masked fill: positions where a 0/1 mask is non-zero take a constant (ColBERT: padded passage scores → −1000
// before the max; query padding rows → 0 before the sum).
//   y = mask ? value : x        dx = mask ? 0 : g          (mask broadcast to x; it gets no gradient)

extension Tensor {
    /// `value` where `mask` (broadcast to x) is non-zero, x elsewhere (PyTorch `masked_fill`).
    public func maskedFill(_ mask: Tensor, value: Float) -> Tensor {
        let m = mask.detached()
        let s = broadcastStrides(m.shape, to: shape)
        let rows = BroadcastRows(shape, s, s)
        let out = Tensor(uninitialized: shape)
        let px = pointer, pm = m.pointer, py = out.pointer, n = rows.inner, im = rows.inner1
        rows.forEachRow { o, om, _ in
            for i in 0..<n { py[o + i] = pm[om + i * im] != 0 ? value : px[o + i] }
        }
        if Tensor.recording(self) {
            let ms = m.storage
            out.record([self]) { g in
                let pg = g.pointer, pm = ms.pointer
                self.accumulateGrad { dx in
                    rows.forEachRow { o, om, _ in
                        for i in 0..<n where pm[om + i * im] == 0 { dx[o + i] += pg[o + i] }
                    }
                }
            }
        }
        return out
    }
}
