// The autograd machinery: accumulation, reuse of a tensor, no-grad scopes, graph release, zeroGrad, deep graphs.

import Testing
import PropertyTesting
import Tensors

@Suite struct AutogradTests {
    @Test func chainRuleWorkedExample() {
        // L = Σ (a·b + a)² with a = [1, 2], b = [3, −1]: z = [4, 0], dL/da = 2z·(b + 1) = [32, 0], dL/db = 2z·a = [8, 0].
        let a = Tensor(shape: [2], scalars: [1, 2], requiresGrad: true)
        let b = Tensor(shape: [2], scalars: [3, -1], requiresGrad: true)
        let loss = (a * b + a).square().sum()
        #expect(loss.item == 16)
        loss.backward()
        #expect(a.grad?.scalars == [32, 0])
        #expect(b.grad?.scalars == [8, 0])
    }

    @Test func tensorUsedTwiceAccumulates() {
        // y = x·x + x  ⇒  dy/dx = 2x + 1.
        propertyCheck(Gen<Float>.float(in: -5...5), cases: 50) { v in
            let x = Tensor(shape: [1], scalars: [v], requiresGrad: true)
            (x * x + x).sum().backward()
            try requireClose(Double(x.grad!.item), Double(2 * v + 1), atol: 1e-5)
        }
    }

    @Test func gradientsAccumulateAcrossBackwardCallsUntilZeroed() {
        let w = Tensor(shape: [3], scalars: [1, 2, 3], requiresGrad: true)
        (w * 2).sum().backward()
        (w * 3).sum().backward()
        #expect(w.grad?.scalars == [5, 5, 5])
        w.zeroGrad()
        #expect(w.grad?.scalars == [0, 0, 0])
        (w * 4).sum().backward()
        #expect(w.grad?.scalars == [4, 4, 4])
    }

    @Test func noGradBuildsNoGraph() {
        let w = Tensor(shape: [2], scalars: [1, 2], requiresGrad: true)
        let y = withNoGrad { (w * w).sum() }
        #expect(!y.requiresGrad)
        #expect(y.isLeaf)
        #expect(GradMode.isEnabled)
        withNoGrad {
            #expect(!GradMode.isEnabled)
            withGrad { #expect((w * w).requiresGrad) }
        }
        // Inputs that require no gradient build no graph either.
        let c = Tensor(shape: [2], scalars: [1, 2])
        #expect(!(c * c).requiresGrad)
    }

    @Test func detachedStopsTheGradient() {
        let x = Tensor(shape: [2], scalars: [1, 2], requiresGrad: true)
        (x * x.detached()).sum().backward()   // d/dx (x · const) = const
        #expect(x.grad?.scalars == [1, 2])
    }

    @Test func graphIsReleasedAfterBackwardUnlessRetained() {
        let x = Tensor(shape: [2], scalars: [1, 2], requiresGrad: true)
        let y = (x * 3).sum()
        y.backward(retainGraph: true)
        y.backward(retainGraph: true)
        #expect(x.grad?.scalars == [6, 6])
        y.backward()
        #expect(x.grad?.scalars == [9, 9])
        #expect(!y.isLeaf)   // released, not a leaf: a further backward() is a precondition failure
    }

    @Test func deepChainDoesNotOverflowTheStack() {
        let x = Tensor(shape: [1], scalars: [1], requiresGrad: true)
        var y = x
        for _ in 0..<20_000 { y = y + 0.0 }
        y.sum().backward()
        #expect(x.grad?.item == 1)
    }

    @Test func diamondGraphGetsEveryPath() {
        // a → (b = 2a, c = 3a) → d = b·c = 6a²  ⇒  dd/da = 12a.
        let a = Tensor(shape: [1], scalars: [1.5], requiresGrad: true)
        let b = a * 2, c = a * 3
        (b * c).sum().backward()
        #expect(abs(a.grad!.item - 18) < 1e-5)
    }

    @Test func backwardWithSeedGradient() {
        let x = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4], requiresGrad: true)
        x.square().backward(gradient: Tensor(shape: [2, 2], scalars: [1, 0, 0, 2]))
        #expect(x.grad?.scalars == [2, 0, 0, 16])
    }

    @Test func reshapeSharesStorage() {
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let y = x.reshaped([3, -1])
        #expect(y.shape == [3, 2])
        #expect(y.storage === x.storage)
    }

    @Test func embeddingGradientIsRowSparse() {
        // Only the used rows get gradient; zeroGrad clears them (and tracking survives several steps).
        let table = Tensor(zeros: [1000, 4], requiresGrad: true)
        let ids = [7, 3, 7]
        Tensor.embedding(table, ids: ids).sum().backward()
        let g = table.grad!
        #expect(g.shape == [1000, 4])
        #expect((0..<4).allSatisfy { g[7, $0] == 2 && g[3, $0] == 1 })
        #expect(g.scalars.reduce(0, +) == 12)
        table.zeroGrad()
        #expect(g.scalars.allSatisfy { $0 == 0 })
        #expect(table.grad === g)   // allocated once, reused
        Tensor.embedding(table, ids: [999]).sum().backward()
        #expect(g[999, 0] == 1 && g.scalars.reduce(0, +) == 4)
        // A dense use of the same table (tied weights) falls back to a full clear.
        (table * 2).sum().backward()
        table.zeroGrad()
        #expect(g.scalars.allSatisfy { $0 == 0 })
    }

    @Test func dropoutIsIdentityInEvalAndNoGrad() {
        var rng = Xoshiro256(seed: 1)
        let x = randomTensor([4, 8], seed: 2)
        #expect(x.dropout(0.5, training: false, rng: &rng) === x)
        withNoGrad { #expect(x.dropout(0.5, training: true, rng: &rng) === x) }
        // Training: kept values are scaled by 1/(1−p); the kept fraction is near 1 − p; same seed, same mask.
        let big = Tensor(repeating: 1, shape: [10_000])
        var r1 = Xoshiro256(seed: 5), r2 = Xoshiro256(seed: 5)
        let y1 = big.dropout(0.25, training: true, rng: &r1), y2 = big.dropout(0.25, training: true, rng: &r2)
        #expect(y1.scalars == y2.scalars)
        let kept = y1.scalars.filter { $0 != 0 }
        #expect(kept.allSatisfy { abs($0 - 4.0 / 3.0) < 1e-6 })
        #expect(abs(Double(kept.count) / 10_000 - 0.75) < 0.02)   // ±4.6σ
    }

    /// A large permutation (attention's head split) and a large dropout equal their definitions, values and gradients
    /// bit for bit, at 1 and at 2 threads; zero-filled storage taken back from the pool is all +0.
    @Test func largePermutesDropoutAndZerosAreExactOnEveryThreadCount() {
        let saved = Kernels.threadCount
        defer { Kernels.threadCount = saved }
        let shape = [3, 70, 12, 32]   // [B,S,A,D]: 80,640 elements, above the parallel threshold
        let x = randomTensor(shape, seed: 9), seedGrad = randomTensor([3, 12, 70, 32], seed: 10)
        for threads in [1, 2] {
            Kernels.threadCount = threads
            let xs = Tensor(shape: shape, scalars: x.scalars, requiresGrad: true)
            let y = xs.permuted([0, 2, 1, 3])   // → [B,A,S,D]
            y.backward(gradient: seedGrad)
            let (yv, gv, xv, gx) = (y.scalars, seedGrad.scalars, x.scalars, xs.grad!.scalars)
            var wrong: [String] = []
            for b in 0..<3 { for s in 0..<70 { for a in 0..<12 { for d in 0..<32 {
                let i = ((b * 70 + s) * 12 + a) * 32 + d, o = ((b * 12 + a) * 70 + s) * 32 + d
                if yv[o] != xv[i] || gx[i] != gv[o] { wrong.append("[\(b),\(s),\(a),\(d)]") }
            } } } }
            #expect(wrong.isEmpty, "threads \(threads): permute wrong at \(wrong.count) places, first \(wrong.first ?? "")")
            // Dropout: y = x·m with the mask from the stream (two 24-bit uniforms per draw), dx = g·m.
            var rng = Xoshiro256(seed: 3), replay = Xoshiro256(seed: 3)
            let xd = Tensor(shape: shape, scalars: x.scalars, requiresGrad: true)
            let yd = xd.dropout(0.1, training: true, rng: &rng)
            yd.backward(gradient: Tensor(shape: shape, scalars: x.scalars))
            let (ydv, gdv) = (yd.scalars, xd.grad!.scalars)
            var j = 0, wrongDrops: [Int] = []
            while j < xv.count {
                let r = replay.next()
                for (k, bits) in [(j, (r >> 40) & 0xFF_FFFF), (j + 1, (r >> 8) & 0xFF_FFFF)] where k < xv.count {
                    let m: Float = Float(bits) * 0x1p-24 >= 0.1 ? 1 / (1 - Float(0.1)) : 0
                    if ydv[k] != xv[k] * m || gdv[k] != xv[k] * m { wrongDrops.append(k) }
                }
                j += 2
            }
            #expect(wrongDrops.isEmpty, "threads \(threads): dropout wrong at \(wrongDrops.count) places, first \(wrongDrops.first ?? -1)")
            do { let used = Tensor(repeating: 7, shape: [300_001]); #expect(used.count == 300_001) }   // back to the pool
            #expect(Tensor(zeros: [300_001]).scalars.allSatisfy { $0 == 0 && $0.sign == .plus })
        }
    }
}
