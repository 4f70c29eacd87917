// Helpers for the Tensors tests: seeded random tensors and a gradient-check assertion for property tests.

import PropertyTesting
import Tensors

/// A tensor of `shape` with values uniform in `range`, from `seed`.
func randomTensor(_ shape: [Int], seed: UInt64, in range: ClosedRange<Float> = -1...1) -> Tensor {
    var rng = Xoshiro256(seed: seed)
    return Tensor.randomUniform(shape, low: range.lowerBound, high: range.upperBound, rng: &rng)
}

/// A tensor whose values are at least 0.05 away from 0 (for ops with a kink at 0: relu, clampMin(0)).
func awayFromZero(_ shape: [Int], seed: UInt64) -> Tensor {
    let t = randomTensor(shape, seed: seed)
    for i in 0..<t.count { let v = t[flat: i]; t[flat: i] = (v < 0 ? -0.05 : 0.05) + v }
    return t
}

/// A tensor of distinct values spaced ≥ 0.1 apart (for max, whose gradient jumps at ties), shuffled by `seed`.
func distinctValues(_ shape: [Int], seed: UInt64) -> Tensor {
    var rng = Xoshiro256(seed: seed)
    let n = elementCount(shape)
    var vals = (0..<n).map { Float($0) * 0.1 - Float(n) * 0.05 }
    vals.shuffle(using: &rng)
    return Tensor(shape: shape, scalars: vals)
}

/// Fails the property when the analytic and numeric gradients of `f` disagree.
func requireGradients(_ inputs: [Tensor], atol: Double = 1e-3, rtol: Double = 1e-2, step: Float = 1e-2,
                      _ what: String = "", _ f: () -> Tensor) throws {
    let r = gradientCheck(inputs, step: step, atol: atol, rtol: rtol, f)
    try require(r.checked == inputs.reduce(0) { $0 + $1.count }, "\(what): not every component was checked")
    try require(r.passed, "\(what): \(r)")
}

/// Max |a − b| over two equally long arrays.
func maxAbsDiff(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}
