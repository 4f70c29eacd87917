// Finite-difference gradient checking, reusable by every module's tests (ops here; encoder blocks and rankers in
// Student; losses in MarginMSE).
//
// Method. For a function f of some input tensors with any output shape, draw fixed random weights r (seeded, same
// shape as the output) and check the scalar L = Σ_i r_i · f(x)_i, so every output element and every input element
// takes part:
//   analytic: f(x).backward(gradient: r)  →  dL/dx in each input's .grad
//   numeric:  dL/dx_j ≈ (L(x + h·e_j) − L(x − h·e_j)) / (x_j⁺ − x_j⁻)   (central differences)
// The perturbation is applied in Float (the ops are Float) and the denominator is the perturbation actually
// represented (x_j ± h rounded to Float); L is accumulated in Double, so the only Float error is the forward pass's
// own rounding (≈ 1e-7 relative per output), amplified by 1/(2h). With h = 1e-2 that is ≈ 1e-5, while the
// truncation error is O(h²·f‴) ≈ 1e-4 for the smooth ops here. A component passes when
//   |analytic − numeric| ≤ atol + rtol · max(|analytic|, |numeric|)      (defaults atol 1e-3, rtol 1e-2).
// Non-smooth ops (max, relu, clamp, masked positions) need inputs kept at least 2h away from their kinks.

/// The outcome of a gradient check.
public struct GradientCheckResult: Sendable, CustomStringConvertible {
    /// Components compared.
    public var checked = 0
    /// Components outside tolerance.
    public var failures = 0
    /// The largest |analytic − numeric| and where it occurred.
    public var maxAbsError = 0.0
    public var worstInput = -1, worstIndex = -1
    public var worstAnalytic = 0.0, worstNumeric = 0.0

    public var passed: Bool { failures == 0 }
    public var description: String {
        "gradient check: \(checked) components, \(failures) outside tolerance; worst |Δ| = \(maxAbsError) at input \(worstInput)[\(worstIndex)] (analytic \(worstAnalytic), numeric \(worstNumeric))"
    }
}

/// Checks the gradients of `f` with respect to `inputs` by central finite differences (see the file comment).
/// `f` must be deterministic (no fresh random draws) and build its graph from `inputs`.
public func gradientCheck(_ inputs: [Tensor], step h: Float = 1e-2, atol: Double = 1e-3, rtol: Double = 1e-2,
                          seed: UInt64 = 0xC0FFEE, _ f: () -> Tensor) -> GradientCheckResult {
    for x in inputs { x.requiresGrad = true; x.grad = nil }
    let y = withGrad { f() }
    var rng = Xoshiro256(seed: seed)
    let r = Tensor.randomNormal(y.shape, rng: &rng)
    y.backward(gradient: r)
    let analytic: [[Float]] = inputs.map { $0.grad?.scalars ?? [Float](repeating: 0, count: $0.count) }

    func loss() -> Double {
        // Grad mode stays on so that f is the same function (dropout is the identity under no-grad); the graph
        // built here is discarded unused.
        let out = withGrad { f() }
        precondition(out.shape == y.shape, "f changed its output shape from \(y.shape) to \(out.shape)")
        var s = 0.0
        for i in 0..<out.count { s += Double(r.pointer[i]) * Double(out.pointer[i]) }
        return s
    }

    var result = GradientCheckResult()
    for (k, x) in inputs.enumerated() {
        let p = x.pointer
        for j in 0..<x.count {
            let orig = p[j]
            let up = orig + h, down = orig - h
            p[j] = up
            let lp = loss()
            p[j] = down
            let lm = loss()
            p[j] = orig
            let numeric = (lp - lm) / (Double(up) - Double(down))
            let a = Double(analytic[k][j])
            let err = abs(a - numeric)
            result.checked += 1
            if err > atol + rtol * max(abs(a), abs(numeric)) { result.failures += 1 }
            if err > result.maxAbsError || result.worstInput < 0 {
                result.maxAbsError = err
                result.worstInput = k; result.worstIndex = j; result.worstAnalytic = a; result.worstNumeric = numeric
            }
        }
    }
    for x in inputs { x.grad = nil }
    return result
}
