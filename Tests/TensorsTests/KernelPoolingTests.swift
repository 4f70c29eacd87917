// The fused kernel pooling (Ops+KernelPooling.swift) against its readable reference — the composed ops TK used before
// (subtract the centres, square, scale, exp, mask, sum over passage tokens) — in value and in gradient, and against
// finite differences.

import Testing
import PropertyTesting
import Tensors
import Foundation

private let centres: [Float] = [1.0, 0.9, 0.7, 0.5, 0.3, 0.1, -0.1, -0.3, -0.5, -0.7, -0.9]

/// The composed reference: Σ_j exp(−(M − μ)²/(2σ²))·mask over [N,Q,P,K].
private func reference(_ m: Tensor, _ mask: Tensor, sigma: Float) -> Tensor {
    let n = m.shape[0], p = m.shape[2]
    let mu = Tensor(shape: [centres.count], scalars: centres)
    let rbf = ((m.unsqueezed(3) - mu).square() * (-1 / (2 * sigma * sigma))).exp()
    return (rbf * mask.reshaped([n, 1, p, 1])).sum(axis: 2)
}

/// A 0/1 mask [N,P] with a random number of real tokens (≥ 1) per row, padding at the end.
private func passageMask(_ n: Int, _ p: Int, seed: UInt64) -> Tensor {
    var rng = Xoshiro256(seed: seed)
    var v = [Float](repeating: 0, count: n * p)
    for r in 0..<n { let real = 1 + rng.nextInt(below: p); for j in 0..<real { v[r * p + j] = 1 } }
    return Tensor(shape: [n, p], scalars: v)
}

@Suite struct KernelPoolingTests {
    /// P on both sides of the 16-lane step (1…40), TK's σ = 0.1: values and gradients equal the reference's.
    @Test func equalsTheComposedReferenceInValueAndGradient() {
        let gen = Gen.zip(Gen.int(in: 1...3), Gen.int(in: 1...40), Gen.int(in: 0...1_000_000))
        propertyCheck(gen, cases: 25) { (n, p, seed) in
            let s = UInt64(seed), q = 1 + seed % 5
            let mask = passageMask(n, p, seed: s &+ 1)
            let weights = randomTensor([n, q, centres.count], seed: s &+ 2)
            let m1 = randomTensor([n, q, p], seed: s), m2 = randomTensor([n, q, p], seed: s)
            m1.requiresGrad = true; m2.requiresGrad = true
            let fused = m1.kernelPooling(passageMask: mask, centres: centres, sigma: 0.1)
            let composed = reference(m2, mask, sigma: 0.1)
            try require(fused.shape == [n, q, centres.count], "shape \(fused.shape)")
            for i in 0..<fused.count {
                try requireClose(Double(fused[flat: i]), Double(composed[flat: i]), atol: 1e-5, rtol: 1e-5, "K[\(i)]")
            }
            (fused * weights).sum().backward()
            (composed * weights).sum().backward()
            let g1 = m1.grad!, g2 = m2.grad!
            for i in 0..<g1.count {
                try requireClose(Double(g1[flat: i]), Double(g2[flat: i]), atol: 1e-3, rtol: 1e-4, "∂M[\(i)]")
            }
        }
    }

    /// Finite differences (a wider σ, so that central differences with step 1e-2 resolve the kernels).
    @Test func gradientMatchesFiniteDifferences() {
        propertyCheck(Gen.zip(Gen.int(in: 1...2), Gen.int(in: 1...20), Gen.int(in: 0...1_000_000)),
                      cases: 12) { (n, p, seed) in
            let s = UInt64(seed), q = 1 + seed % 3
            let m = randomTensor([n, q, p], seed: s)
            let mask = passageMask(n, p, seed: s &+ 7)
            let w = randomTensor([n, q, centres.count], seed: s &+ 8)
            try requireGradients([m], "kernelPooling") {
                m.kernelPooling(passageMask: mask, centres: centres, sigma: 0.5) * w
            }
        }
    }

    /// Padding tokens contribute nothing and receive no gradient; one token exactly at a centre counts 1 there.
    @Test func paddingIsIgnoredAndAnExactMatchCountsOne() {
        let m = Tensor(shape: [1, 1, 3], scalars: [1.0, 0.3, 0.9], requiresGrad: true)
        let mask = Tensor(shape: [1, 3], scalars: [1, 1, 0])
        let k = m.kernelPooling(passageMask: mask, centres: centres, sigma: 0.1)
        #expect(abs(k[flat: 0] - (1 + Float(Foundation.exp(-24.5)))) < 1e-6)   // μ = 1: the 1.0 (and 0.3, far)
        #expect(abs(k[flat: 4] - 1) < 1e-5)                                      // μ = 0.3: the 0.3
        k.sum().backward()
        #expect(m.grad![flat: 2] == 0)
    }
}
