// Element-wise functions and their derivatives (any shape; the result has the input's shape).
//
//   gelu(x)       = x·Φ(x) = x·½(1 + erf(x/√2))      dx = g·(Φ(x) + x·φ(x))        (BERT's exact GELU; Kernels)
//   tanh(x)                                        dx = g·(1 − y²)                  (Kernels)
//   exp(x)                                         dx = g·y                         (Kernels)
//   relu(x)       = max(x, 0)                      dx = g·[x > 0]                   (TK's TransformerEncoderLayer)
//   log(x)                                         dx = g / x
//   sqrt(x)                                        dx = g / (2y)
//   pow(x, p)     (constant p)                     dx = g·p·x^(p−1)
//   square(x)     = x²                             dx = 2g·x
//   sigmoid(x)    = 1/(1 + e^−x)                   dx = g·y(1 − y)
//   logSigmoid(x) = min(x,0) − log1p(e^−|x|)       dx = g·σ(−x)                     (stable for any x)
//   softplus(x)   = max(x,0) + log1p(e^−|x|)       dx = g·σ(x)                      (stable for any x)
//   clampMin(x,c) = max(x, c)                      dx = g·[x > c]                   (TK: max(K·a, 1e−10))

extension Tensor {
    /// GELU, erf form: y = x·½·(1 + erf(x/√2)).
    public func gelu() -> Tensor {
        let out = Tensor(uninitialized: shape)
        Kernels.gelu(pointer, out.pointer, count: count)
        if Tensor.recording(self) {
            let xs = storage, n = count
            out.record([self]) { g in
                self.writeOrAccumulateGrad { dx in Kernels.geluBackward(xs.pointer, g.pointer, dx, count: n) }
            }
        }
        return out
    }

    /// GELU written over this tensor's own values, and this tensor returned: for a value nothing else reads —
    /// inference's feed-forward activations — which then needs no second buffer. The same bits as `gelu()`. Only
    /// while no gradient is recorded through it, and never on a parameter.
    public func geluInPlace() -> Tensor {
        precondition(!Tensor.recording(self) && !(isLeaf && requiresGrad),
                     "geluInPlace would overwrite a value a gradient or an optimiser needs: use gelu()")
        Kernels.gelu(pointer, pointer, count: count)
        return self
    }

    /// The tanh approximation of GELU (Hugging Face `gelu_new` / `gelu_pytorch_tanh`):
    /// 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), composed of recorded ops (its gradient follows from theirs).
    public func geluTanh() -> Tensor {
        let inner = (self + self * self * self * Float(0.044715)) * Float((2 / Double.pi).squareRoot())
        return self * (inner.tanh() + Float(1)) * Float(0.5)
    }

    /// tanh(x); dx = g·(1 − y²).
    public func tanh() -> Tensor {
        let out = Tensor(uninitialized: shape)
        Kernels.tanh(pointer, out.pointer, count: count)
        if Tensor.recording(self) {
            let ys = out.storage, n = count
            out.record([self]) { g in
                let pg = g.pointer, py = ys.pointer
                self.writeOrAccumulateGrad { dx in for i in 0..<n { dx[i] = pg[i] * (1 - py[i] * py[i]) } }
            }
        }
        return out
    }

    /// exp(x); dx = g·y.
    public func exp() -> Tensor {
        let out = Tensor(uninitialized: shape)
        Kernels.exp(pointer, out.pointer, count: count)
        if Tensor.recording(self) {
            let ys = out.storage, n = count
            out.record([self]) { g in
                let pg = g.pointer, py = ys.pointer
                self.writeOrAccumulateGrad { dx in for i in 0..<n { dx[i] = pg[i] * py[i] } }
            }
        }
        return out
    }

    /// max(x, 0); the derivative at 0 is taken as 0 (as PyTorch).
    public func relu() -> Tensor {
        unaryMap({ Swift.max($0, 0) }, derivative: { x, _ in x > 0 ? 1 : 0 })
    }

    /// Natural logarithm (x > 0).
    public func log() -> Tensor {
        unaryMap({ LibM.log($0) }, derivative: { x, _ in 1 / x })
    }

    /// Square root (x ≥ 0).
    public func sqrt() -> Tensor {
        unaryMap({ $0.squareRoot() }, derivative: { _, y in 1 / (2 * y) })
    }

    /// x^p for a constant exponent p.
    public func pow(_ p: Float) -> Tensor {
        if p == 2 { return square() }
        return unaryMap({ LibM.pow($0, p) }, derivative: { x, _ in p * LibM.pow(x, p - 1) })
    }

    /// x².
    public func square() -> Tensor {
        unaryMap({ $0 * $0 }, derivative: { x, _ in 2 * x })
    }

    /// The logistic function σ(x) = 1/(1 + e^−x), computed without overflow for any x.
    public func sigmoid() -> Tensor {
        unaryMap({ stableSigmoid($0) }, derivative: { _, y in y * (1 - y) })
    }

    /// log σ(x) = min(x, 0) − log(1 + e^−|x|): finite for any finite x (log σ(−100) = −100, not −∞).
    public func logSigmoid() -> Tensor {
        unaryMap({ x in min(x, 0) - LibM.log1p(LibM.exp(-abs(x))) }, derivative: { x, _ in stableSigmoid(-x) })
    }

    /// softplus(x) = log(1 + eˣ) = max(x, 0) + log(1 + e^−|x|).
    public func softplus() -> Tensor {
        unaryMap({ x in Swift.max(x, 0) + LibM.log1p(LibM.exp(-abs(x))) }, derivative: { x, _ in stableSigmoid(x) })
    }

    /// max(x, c) for a constant c; gradient flows where x > c.
    public func clampMin(_ c: Float) -> Tensor {
        unaryMap({ Swift.max($0, c) }, derivative: { x, _ in x > c ? 1 : 0 })
    }
}

/// σ(x) without overflow: for x ≥ 0, 1/(1 + e^−x); for x < 0, eˣ/(1 + eˣ).
@inline(__always) func stableSigmoid(_ x: Float) -> Float {
    if x >= 0 { return 1 / (1 + LibM.exp(-x)) }
    let e = LibM.exp(x)
    return e / (1 + e)
}
