// Weights packed once per scope (`Kernels.withPackedWeights`, PackedWeights.swift): a training step computes the same
// bits with and without the scope, a weight is packed once per scope whatever the number of products, and a weight
// changed between two scopes is packed again.

import Testing
@testable import Tensors

extension Tensor {
    fileprivate func trainable() -> Tensor { requiresGrad = true; return self }
}

@Suite struct PackedWeightsTests {
    /// Two "length groups" of different sizes through the same two linear layers, forward and backward, as a training
    /// step runs them: returns the output of each group and every gradient.
    func step(_ x1: Tensor, _ x2: Tensor, _ w1: Tensor, _ b1: Tensor, _ w2: Tensor) -> [[Float]] {
        for t in [x1, x2, w1, b1, w2] { t.grad = nil }
        let ys = withGrad { [x1, x2].map { $0.linear(weight: w1, bias: b1).gelu().linear(weight: w2) } }
        withGrad { (ys[0].sum() + (ys[1] * ys[1]).sum()).backward() }
        return ys.map(\.scalars) + [x1, x2, w1, b1, w2].map { $0.grad!.scalars }
    }

    @Test func aStepGivesTheSameBitsInsideAndOutsideTheScope() {
        let saved = Kernels.threadCount
        defer { Kernels.threadCount = saved }
        for threads in [1, 2] {
            Kernels.threadCount = threads
            // Rows enough for threaded products cut along M (the first layer) and along N (the second, 300 > rows).
            let x1 = randomTensor([2, 70, 96], seed: 1).trainable()
            let x2 = randomTensor([3, 41, 96], seed: 2).trainable()
            let w1 = randomTensor([300, 96], seed: 3).trainable()
            let b1 = randomTensor([300], seed: 4).trainable()
            let w2 = randomTensor([50, 300], seed: 5).trainable()
            let outside = step(x1, x2, w1, b1, w2)
            let inside = Kernels.withPackedWeights { step(x1, x2, w1, b1, w2) }
            let same = inside == outside   // (a Bool: a failure prints no arrays)
            #expect(same, "\(threads) threads")
            #expect(inside.allSatisfy { $0.allSatisfy(\.isFinite) })
        }
    }

    @Test func oneWeightIsPackedOncePerScopeAndAgainInTheNext() {
        let w = randomTensor([40, 24], seed: 7)
        let kernel = Kernels.gemmKernel
        func pack(_ cache: PackedWeightCache) -> UnsafePointer<Float>? {
            cache.packed(w.storage, transB: true, b: w.pointer, k: 24, n: 40, ldb: 24, kernel: kernel, threads: 1)
        }
        var captured: PackedWeightCache?
        Kernels.withPackedWeights {
            let cache = PackedWeightCache.current!
            captured = cache
            let first = pack(cache), again = pack(cache)
            #expect(first != nil && first == again, "the second product must read the first one's copy")
            // The other orientation (an input gradient's dy·W) is a separate entry.
            let other = cache.packed(w.storage, transB: false, b: w.pointer, k: 40, n: 24, ldb: 24, kernel: kernel,
                                     threads: 1)
            #expect(other != nil && other != first)
            Kernels.withPackedWeights { #expect(PackedWeightCache.current === cache, "a nested scope is the same") }
        }
        #expect(PackedWeightCache.current == nil)
        #expect(pack(captured!) == nil, "a closed scope hands out nothing (a backward run after the step repacks)")
    }

    @Test func aWeightChangedBetweenScopesIsPackedAgain() {
        let x = randomTensor([30, 16], seed: 8)
        let w = randomTensor([20, 16], seed: 9).trainable()
        let before = Kernels.withPackedWeights { x.linear(weight: w).scalars }
        let sameBefore = before == x.linear(weight: w).scalars
        #expect(sameBefore)
        for i in 0..<w.count { w.pointer[i] *= -2 }           // what an optimiser step does between scopes
        let after = Kernels.withPackedWeights { x.linear(weight: w).scalars }
        let repacked = after == x.linear(weight: w).scalars && after != before
        #expect(repacked)
    }
}
