// Forward values of the ops: worked examples with known answers, and equality with readable references.

import Foundation
import Testing
import PropertyTesting
import Tensors

@Suite struct OpValueTests {
    @Test func softmaxOfOneTwoThree() {
        // e^[1,2,3] / Σ = [0.09003057, 0.24472847, 0.66524096].
        let y = Tensor(shape: [3], scalars: [1, 2, 3]).softmax().scalars
        #expect(maxAbsDiff(y, [0.09003057, 0.24472847, 0.66524096]) < 1e-6)
        let ls = Tensor(shape: [3], scalars: [1, 2, 3]).logSoftmax().scalars
        #expect(maxAbsDiff(ls, [-2.4076059, -1.4076059, -0.4076059]) < 1e-6)
    }

    @Test func maskedSoftmaxGivesExactZeros() {
        let x = Tensor(shape: [1, 1, 2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let keep = Tensor(shape: [1, 1, 1, 3], scalars: [1, 1, 0])
        let y = x.softmax(keepMask: keep).scalars
        #expect(y[2] == 0 && y[5] == 0)
        #expect(maxAbsDiff([y[0], y[1]], [0.26894142, 0.73105858]) < 1e-6)
        // All masked: zeros, not NaN.
        let none = x.softmax(keepMask: Tensor(zeros: [1, 1, 1, 3])).scalars
        #expect(none.allSatisfy { $0 == 0 })
    }

    @Test func layerNormOfAKnownRow() {
        // x = [1,2,3,4]: mean 2.5, biased var 1.25, x̂ = (x−2.5)/√1.25 = [−1.3416408, −0.4472136, 0.4472136, 1.3416408].
        let x = Tensor(shape: [1, 4], scalars: [1, 2, 3, 4])
        let y = x.layerNorm(gamma: Tensor(shape: [4], scalars: [1, 1, 2, 1]),
                            beta: Tensor(shape: [4], scalars: [0, 0, 0, 1]), eps: 1e-12).scalars
        #expect(maxAbsDiff(y, [-1.3416408, -0.4472136, 0.8944272, 2.3416408]) < 1e-5)
    }

    @Test func logSigmoidAndSoftplusWorkedValuesAndStability() {
        let x = Tensor(shape: [5], scalars: [0, 100, -100, 2, -2])
        let ls = x.logSigmoid().scalars
        #expect(abs(ls[0] - (-0.6931472)) < 1e-6)          // log σ(0) = −log 2
        #expect(ls[1] == 0 || abs(ls[1]) < 1e-30)           // log σ(100) ≈ −e^−100
        #expect(abs(ls[2] - (-100)) < 1e-4)                 // no −∞
        #expect(abs(ls[3] - (-0.126928)) < 1e-5)
        let sp = x.softplus().scalars
        #expect(abs(sp[0] - 0.6931472) < 1e-6 && abs(sp[1] - 100) < 1e-4 && sp[2] >= 0 && sp[2] < 1e-40)
        // softplus(x) − softplus(−x) = x and logσ(x) = −softplus(−x).
        propertyCheck(Gen<Float>.float(in: -30...30), cases: 200) { v in
            let t = Tensor(shape: [1], scalars: [v])
            try requireClose(Double(t.softplus().item - (-t).softplus().item), Double(v), atol: 1e-5, rtol: 1e-6)
            try requireClose(Double(t.logSigmoid().item), Double(-(-t).softplus().item), atol: 1e-6)
        }
    }

    @Test func geluWorkedValues() {
        // GELU(1) = Φ(1) = 0.8413447, GELU(−1) = −0.1586553, GELU(0) = 0.
        let y = Tensor(shape: [3], scalars: [1, -1, 0]).gelu().scalars
        #expect(maxAbsDiff(y, [0.8413447, -0.1586553, 0]) < 1e-5)
    }

    @Test func geluTanhWorkedValues() {
        // PyTorch's gelu(x, approximate="tanh") at 1, −1, 2, 0 (Hugging Face's gelu_new).
        let y = Tensor(shape: [4], scalars: [1, -1, 2, 0]).geluTanh().scalars
        #expect(maxAbsDiff(y, [0.8411920, -0.1588080, 1.9545977, 0]) < 1e-5)
    }

    @Test func broadcastingMatchesAReferenceLoop() {
        // [B,h,S,S] + [B,1,1,S] and [B,S,H] · [H], checked element by element.
        propertyCheck(Gen<(Int, Int, Int)>.zip(.int(in: 1...3), .int(in: 1...5), .int(in: 0...9999)), cases: 30) { (b, s, seed) in
            let x = randomTensor([b, 2, s, s], seed: UInt64(seed)), m = randomTensor([b, 1, 1, s], seed: UInt64(seed) + 1)
            let y = x + m
            try require(y.shape == [b, 2, s, s])
            for i in 0..<b { for h in 0..<2 { for q in 0..<s { for k in 0..<s {
                try require(y[i, h, q, k] == x[i, h, q, k] + m[i, 0, 0, k], "mask broadcast at \([i, h, q, k])")
            } } } }
            let z = randomTensor([b, s, 3], seed: UInt64(seed) + 2), w = randomTensor([3], seed: UInt64(seed) + 3)
            let p = z * w
            for i in 0..<b { for q in 0..<s { for c in 0..<3 { try require(p[i, q, c] == z[i, q, c] * w[c]) } } }
            let col = randomTensor([b, s, 1], seed: UInt64(seed) + 4), row = randomTensor([4], seed: UInt64(seed) + 5)
            let o = col - row
            try require(o.shape == [b, s, 4])
            for i in 0..<b { for q in 0..<s { for c in 0..<4 { try require(o[i, q, c] == col[i, q, 0] - row[c]) } } }
        }
    }

    @Test func matmulAndLinearMatchNaiveLoops() {
        propertyCheck(Gen<(Int, Int, Int)>.zip(.int(in: 1...6), .int(in: 1...6), .int(in: 0...9999)), cases: 30) { (m, k, seed) in
            let n = 1 + seed % 5
            let a = randomTensor([2, m, k], seed: UInt64(seed)), b = randomTensor([2, k, n], seed: UInt64(seed) + 1)
            let c = a.matmul(b)
            for z in 0..<2 { for i in 0..<m { for j in 0..<n {
                var s: Float = 0
                for p in 0..<k { s += a[z, i, p] * b[z, p, j] }
                try requireClose(Double(c[z, i, j]), Double(s), atol: 1e-5, "matmul")
            } } }
            // Transpose flags equal explicit transposes.
            let ct = a.transposedLastTwo().matmul(b.transposedLastTwo(), transposeA: true, transposeB: true)
            try require(maxAbsDiff(ct.scalars, c.scalars) < 1e-5, "transpose flags")
            try require(maxAbsDiff(a.matmul(b, alpha: 0.5).scalars, c.scalars.map { $0 * 0.5 }) < 1e-5, "alpha")
            let w = randomTensor([n, k], seed: UInt64(seed) + 2), bias = randomTensor([n], seed: UInt64(seed) + 3)
            let y = a.linear(weight: w, bias: bias)
            let ref = a.matmul(w, transposeB: true) + bias
            try require(y.shape == [2, m, n] && maxAbsDiff(y.scalars, ref.scalars) < 1e-5, "linear = x·Wᵀ + b")
        }
    }

    @Test func headSplitMergeRoundTripsAndPlacesValues() {
        // [B,S,H] → [B,h,S,d]: y[b,hd,s,j] = x[b,s,hd·d + j].
        let x = randomTensor([2, 3, 8], seed: 4)
        let y = x.splitHeads(2)
        #expect(y.shape == [2, 2, 3, 4])
        #expect(y[1, 1, 2, 3] == x[1, 2, 7] && y[0, 1, 0, 0] == x[0, 0, 4])
        #expect(y.mergeHeads().scalars == x.scalars)
        let t = x.transposedLastTwo()
        #expect(t.shape == [2, 8, 3] && t[1, 5, 2] == x[1, 2, 5])
        #expect(t.transposedLastTwo().scalars == x.scalars)
    }

    @Test func concatSliceSelectIndexSelect() {
        let a = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]), b = Tensor(shape: [2, 1], scalars: [5, 6])
        let c = Tensor.concat([a, b], axis: 1)
        #expect(c.shape == [2, 3] && c.scalars == [1, 2, 5, 3, 4, 6])
        #expect(Tensor.concat([a, a], axis: 0).scalars == [1, 2, 3, 4, 1, 2, 3, 4])
        #expect(c.slice(axis: 1, 1..<3).scalars == [2, 5, 4, 6])
        #expect(c.select(axis: 1, index: 0).scalars == [1, 3])
        #expect(c.indexSelect([1, 1, 0]).scalars == [3, 4, 6, 3, 4, 6, 1, 2, 5])
        #expect(c.scatterRows([2, 0], count: 4).scalars == [3, 4, 6, 0, 0, 0, 1, 2, 5, 0, 0, 0])
        #expect(c.scatterRows([2, 0], count: 4).indexSelect([2, 0]).scalars == c.scalars)
    }

    @Test func reductionsWorkedExample() {
        let x = Tensor(shape: [2, 3], scalars: [1, 5, 3, 4, 2, 6])
        #expect(x.sum(axis: 0).scalars == [5, 7, 9])
        #expect(x.sum(axis: 1).scalars == [9, 12])
        #expect(x.mean(axis: -1, keepDims: true).shape == [2, 1])
        #expect(x.mean(axis: 1).scalars == [3, 4])
        #expect(x.max(axis: 1).scalars == [5, 6])
        #expect(x.max(axis: 0).scalars == [4, 5, 6])
        #expect(x.sum().item == 21 && x.mean().item == 3.5 && x.sum().shape == [])
    }

    @Test func maskedFillAndNormalizeAndCosine() {
        let x = Tensor(shape: [2, 2], scalars: [3, 4, 1, 2])
        #expect(x.maskedFill(Tensor(shape: [2], scalars: [0, 1]), value: -1000).scalars == [3, -1000, 1, -1000])
        #expect(maxAbsDiff(x.l2Normalized().scalars, [0.6, 0.8, 0.4472136, 0.8944272]) < 1e-6)
        let cos = Tensor.cosineMatrix(x, Tensor(shape: [1, 2], scalars: [-3, -4]))
        #expect(cos.shape == [2, 1] && abs(cos[0, 0] + 1) < 1e-6)
        #expect(Tensor(zeros: [1, 3]).l2Normalized().scalars == [0, 0, 0])   // no NaN for a zero row
    }

    @Test func crossEntropyAndMSEWorkedValues() {
        // CE of logits [1,2,3] with target 2 = −log 0.66524096 = 0.40760596.
        let ce = Tensor.crossEntropyLoss(Tensor(shape: [1, 3], scalars: [1, 2, 3]), targets: [2])
        #expect(abs(ce.item - 0.40760596) < 1e-6)
        let mse = Tensor.mseLoss(Tensor(shape: [2], scalars: [1, 3]), Tensor(shape: [2], scalars: [0, 1]))
        #expect(mse.item == 2.5)
    }
}

@Suite struct OpConvenienceTests {
    @Test func scalarOnTheLeftAndSqueezeUnsqueeze() {
        let a = Tensor(shape: [2], scalars: [0.25, 2], requiresGrad: true)
        let y = 1 - a
        #expect(y.scalars == [0.75, -1])
        (y * (2 + a)).sum().backward()     // d/da (1 − a)(2 + a) = −1 − 2a
        #expect(a.grad?.scalars == [-1.5, -5])
        let x = Tensor(zeros: [2, 3])
        #expect(x.unsqueezed(-1).shape == [2, 3, 1] && x.unsqueezed(0).shape == [1, 2, 3])
        #expect(x.unsqueezed(1).squeezed(1).shape == [2, 3])
        #expect("\(Tensor(shape: [2], scalars: [1, 2]))" == "Tensor[2] [1.0, 2.0]")
    }
}

@Suite struct EmptyBatchTests {
    @Test func opsAcceptAnEmptyBatch() {
        let x = Tensor(zeros: [0, 4], requiresGrad: true)
        let w = Tensor(repeating: 1, shape: [3, 4], requiresGrad: true), b = Tensor(zeros: [3], requiresGrad: true)
        let y = x.linear(weight: w, bias: b).gelu().softmax()
            .layerNorm(gamma: Tensor(repeating: 1, shape: [3]), beta: Tensor(zeros: [3]))
        #expect(y.shape == [0, 3])
        let s = (y + b).sum(axis: 0)
        #expect(s.scalars == [0, 0, 0])
        s.sum().backward()
        #expect(w.grad?.scalars == [Float](repeating: 0, count: 12))
        #expect(Tensor.concat([x, Tensor(zeros: [1, 4])], axis: 0).shape == [1, 4])
    }
}

@Suite struct InPlaceOpTests {
    @Test(arguments: [[3, 17], [5, 1000], [70, 1024]])   // ragged tails, and > 64 Ki elements (split over threads)
    func geluInPlaceIsGeluToTheBit(shape: [Int]) {
        let x = randomTensor(shape, seed: 11, in: -6...6)
        let expected = x.gelu().scalars
        let copy = Tensor(shape: shape, scalars: x.scalars)
        let out = withNoGrad { copy.geluInPlace() }
        #expect(out === copy && out.scalars == expected)
    }

    @Test(arguments: [(2, 3, 5), (4, 12, 90), (32, 12, 40)])   // [B, A, S, S]; the last > 64 Ki elements
    func softmaxInPlaceIsTheMaskedSoftmaxToTheBit(b: Int, a: Int, s: Int) {
        let scores = randomTensor([b, a, s, s], seed: 12, in: -8...8)
        // Key j of sequence i is padding from position s − i % s on (at least one real key per row).
        let mask = Tensor(shape: [b, 1, 1, s], scalars: (0..<(b * s)).map { k in
            k % s < s - (k / s) % s || k % s == 0 ? 0 : -Float.infinity })
        let expected = scores.softmax(additiveMask: mask).scalars
        let copy = Tensor(shape: scores.shape, scalars: scores.scalars)
        let out = withNoGrad { copy.softmaxInPlace(additiveMask: mask) }
        #expect(out === copy && out.scalars == expected)
        // Any other mask shape falls back to the out-of-place softmax.
        let full = Tensor(shape: scores.shape, scalars: [Float](repeating: 0, count: scores.count))
        let other = withNoGrad { scores.softmaxInPlace(additiveMask: full) }
        #expect(other !== scores && other.scalars == scores.softmax().scalars)
    }
}
