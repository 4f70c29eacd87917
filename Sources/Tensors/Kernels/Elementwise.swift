// Element-wise and row-wise kernels on raw Float32 buffers: the contract the autograd ops call, with readable
// reference implementations. The public entry points call the fast versions in ElementwiseFast.swift (SIMD16,
// polynomial exp/tanh/erf from SIMDMath.swift, threaded for large inputs); the `…Reference` functions stay as the
// yardstick tests hold them equal to.
// Input and output may be the same buffer (in place) unless stated otherwise.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

extension Kernels {
    // MARK: exp, tanh, GELU

    /// y = exp(x).
    public static func exp(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count n: Int) {
        expFast(x, y, count: n)
    }
    public static func expReference(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count n: Int) {
        for i in 0..<n { y[i] = Glibc_expf(x[i]) }
    }

    /// y = tanh(x).
    public static func tanh(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count n: Int) {
        tanhFast(x, y, count: n)
    }
    public static func tanhReference(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count n: Int) {
        for i in 0..<n { y[i] = Glibc_tanhf(x[i]) }
    }

    /// GELU, erf form (BERT's `gelu`): y = x · ½ · (1 + erf(x / √2)).
    /// `y` may alias `x`.
    public static func gelu(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count n: Int) {
        geluFast(x, y, count: n)
    }
    public static func geluReference(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count n: Int) {
        for i in 0..<n {
            let v = Double(x[i])
            y[i] = Float(v * 0.5 * (1 + Glibc_erf(v / 2.0.squareRoot())))
        }
    }

    /// dx = dy · GELU'(x), GELU'(x) = Φ(x) + x·φ(x). `dx` may alias `dy`, not `x`.
    public static func geluBackward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                                    _ dx: UnsafeMutablePointer<Float>, count n: Int) {
        geluBackwardFast(x, dy, dx, count: n)
    }
    public static func geluBackwardReference(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                                             _ dx: UnsafeMutablePointer<Float>, count n: Int) {
        for i in 0..<n {
            let v = Double(x[i])
            let cdf = 0.5 * (1 + Glibc_erf(v / 2.0.squareRoot()))
            let pdf = Glibc_expD(-0.5 * v * v) / (2 * Double.pi).squareRoot()
            dx[i] = Float(Double(dy[i]) * (cdf + v * pdf))
        }
    }

    // MARK: softmax over rows

    /// Numerically stable softmax of each row of a [rows × cols] matrix: y = exp(x − max) / Σ exp(x − max).
    /// Masking is done by the caller writing −∞ (or a large negative number) into masked positions; a row that is
    /// entirely −∞ gives zeros, not NaNs.
    public static func softmaxRows(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        softmaxRowsFast(x, y, rows: rows, cols: cols)
    }
    /// Softmax of each row of x + mask, where row r adds row r / `rowsPerMaskRow` of `mask` (an additive attention
    /// mask [B,1,1,S] against scores [B,A,S,S]: rowsPerMaskRow = A·S). Bit-identical to adding the mask first and
    /// then `softmaxRows`, with one pass over x less. `y` may alias `x`.
    public static func softmaxRows(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int,
                                   additiveMask mask: UnsafePointer<Float>, rowsPerMaskRow: Int) {
        softmaxRowsFast(x, y, rows: rows, cols: cols, mask: mask, rowsPerMaskRow: rowsPerMaskRow)
    }
    /// The reference for the masked softmax: the mask added into a copy, then `softmaxRowsReference`.
    public static func softmaxRowsReference(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int,
                                            cols: Int, additiveMask mask: UnsafePointer<Float>, rowsPerMaskRow: Int) {
        for r in 0..<rows {
            let mr = mask + (r / rowsPerMaskRow) * cols
            for j in 0..<cols { y[r * cols + j] = x[r * cols + j] + mr[j] }
        }
        softmaxRowsReference(UnsafePointer(y), y, rows: rows, cols: cols)
    }
    public static func softmaxRowsReference(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                                            rows: Int, cols: Int) {
        for r in 0..<rows {
            let xr = x + r * cols, yr = y + r * cols
            var mx = -Float.infinity
            for j in 0..<cols { mx = max(mx, xr[j]) }
            if mx == -Float.infinity { for j in 0..<cols { yr[j] = 0 }; continue }
            var sum = 0.0
            for j in 0..<cols { let e = Glibc_expf(xr[j] - mx); yr[j] = e; sum += Double(e) }
            let inv = Float(1 / sum)
            for j in 0..<cols { yr[j] *= inv }
        }
    }

    /// Backward of row softmax given its output y: dx = y ⊙ (dy − Σ_j dy_j·y_j) per row. `dx` may alias `dy`.
    public static func softmaxRowsBackward(_ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                                           _ dx: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        softmaxRowsBackwardFast(y, dy, dx, rows: rows, cols: cols)
    }
    public static func softmaxRowsBackwardReference(_ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                                                    _ dx: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        for r in 0..<rows {
            let yr = y + r * cols, dyr = dy + r * cols, dxr = dx + r * cols
            var dot = 0.0
            for j in 0..<cols { dot += Double(dyr[j]) * Double(yr[j]) }
            for j in 0..<cols { dxr[j] = yr[j] * (dyr[j] - Float(dot)) }
        }
    }

    // MARK: layer norm over rows

    /// y = (x − mean) · rstd · gamma + beta per row of [rows × cols], rstd = 1/√(var + eps) with the biased
    /// variance (as PyTorch). Writes `mean[rows]` and `rstd[rows]` for the backward pass.
    public static func layerNormRows(_ x: UnsafePointer<Float>, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
                                     _ y: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>,
                                     rstd: UnsafeMutablePointer<Float>, rows: Int, cols: Int, eps: Float) {
        layerNormRowsFast(x, gamma: gamma, beta: beta, y, mean: mean, rstd: rstd, rows: rows, cols: cols, eps: eps)
    }
    public static func layerNormRowsReference(_ x: UnsafePointer<Float>, gamma: UnsafePointer<Float>,
                                              beta: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                                              mean: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>,
                                              rows: Int, cols: Int, eps: Float) {
        for r in 0..<rows {
            let xr = x + r * cols, yr = y + r * cols
            var s = 0.0
            for j in 0..<cols { s += Double(xr[j]) }
            let mu = s / Double(cols)
            var v = 0.0
            for j in 0..<cols { let d = Double(xr[j]) - mu; v += d * d }
            let rs = 1 / (v / Double(cols) + Double(eps)).squareRoot()
            mean[r] = Float(mu); rstd[r] = Float(rs)
            for j in 0..<cols { yr[j] = Float((Double(xr[j]) - mu) * rs) * gamma[j] + beta[j] }
        }
    }

    /// Backward of `layerNormRows`. Writes dx; **accumulates** into dgamma and dbeta (+=).
    /// dx = rstd · (g − mean(g) − x̂ · mean(g ⊙ x̂)) with g = dy ⊙ gamma and x̂ = (x − mean) · rstd.
    public static func layerNormRowsBackward(_ x: UnsafePointer<Float>, mean: UnsafePointer<Float>,
                                             rstd: UnsafePointer<Float>, gamma: UnsafePointer<Float>,
                                             _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                                             dgamma: UnsafeMutablePointer<Float>, dbeta: UnsafeMutablePointer<Float>,
                                             rows: Int, cols: Int) {
        layerNormRowsBackwardFast(x, mean: mean, rstd: rstd, gamma: gamma, dy, dx,
                                  dgamma: dgamma, dbeta: dbeta, rows: rows, cols: cols)
    }
    public static func layerNormRowsBackwardReference(_ x: UnsafePointer<Float>, mean: UnsafePointer<Float>,
                                                      rstd: UnsafePointer<Float>, gamma: UnsafePointer<Float>,
                                                      _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                                                      dgamma: UnsafeMutablePointer<Float>,
                                                      dbeta: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        for r in 0..<rows {
            let xr = x + r * cols, dyr = dy + r * cols, dxr = dx + r * cols
            let mu = Double(mean[r]), rs = Double(rstd[r])
            var meanG = 0.0, meanGX = 0.0
            for j in 0..<cols {
                let xh = (Double(xr[j]) - mu) * rs
                let g = Double(dyr[j]) * Double(gamma[j])
                meanG += g; meanGX += g * xh
                dgamma[j] += Float(Double(dyr[j]) * xh)
                dbeta[j] += dyr[j]
            }
            meanG /= Double(cols); meanGX /= Double(cols)
            for j in 0..<cols {
                let xh = (Double(xr[j]) - mu) * rs
                let g = Double(dyr[j]) * Double(gamma[j])
                dxr[j] = Float(rs * (g - meanG - xh * meanGX))
            }
        }
    }

    // MARK: Adam / AdamW update

    /// One Adam step over `n` parameters, in place on `param`, `m`, `v`:
    ///   m = β1·m + (1−β1)·g;  v = β2·v + (1−β2)·g²;  m̂ = m / (1−β1ᵗ);  v̂ = v / (1−β2ᵗ)
    ///   p −= lr · (m̂ / (√v̂ + eps) + decoupledWeightDecay · p)       (AdamW; 0 gives Adam)
    /// `step` is t, counted from 1. L2-style (coupled) weight decay is the caller's: add wd·p to g first.
    public static func adamStep(param: UnsafeMutablePointer<Float>, grad: UnsafePointer<Float>,
                                m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, count n: Int,
                                lr: Float, beta1: Float, beta2: Float, eps: Float,
                                decoupledWeightDecay: Float, step: Int) {
        adamStepFast(param: param, grad: grad, m: m, v: v, count: n, lr: lr, beta1: beta1, beta2: beta2,
                     eps: eps, decoupledWeightDecay: decoupledWeightDecay, step: step)
    }
    public static func adamStepReference(param: UnsafeMutablePointer<Float>, grad: UnsafePointer<Float>,
                                         m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, count n: Int,
                                         lr: Float, beta1: Float, beta2: Float, eps: Float,
                                         decoupledWeightDecay: Float, step: Int) {
        let c1 = 1 - Glibc_powD(Double(beta1), Double(step))
        let c2 = 1 - Glibc_powD(Double(beta2), Double(step))
        for i in 0..<n {
            let g = grad[i]
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g * g
            let mh = Double(m[i]) / c1, vh = Double(v[i]) / c2
            let upd = mh / (vh.squareRoot() + Double(eps)) + Double(decoupledWeightDecay) * Double(param[i])
            param[i] = Float(Double(param[i]) - Double(lr) * upd)
        }
    }
}

// libm entry points under names that do not collide with the Kernels members above.
@usableFromInline func Glibc_expf(_ x: Float) -> Float { expf(x) }
@usableFromInline func Glibc_tanhf(_ x: Float) -> Float { tanhf(x) }
@usableFromInline func Glibc_erf(_ x: Double) -> Double { erf(x) }
@usableFromInline func Glibc_expD(_ x: Double) -> Double { Foundation_exp(x) }
@usableFromInline func Glibc_powD(_ x: Double, _ y: Double) -> Double { pow(x, y) }
@usableFromInline func Foundation_exp(_ x: Double) -> Double { exp(x) }
