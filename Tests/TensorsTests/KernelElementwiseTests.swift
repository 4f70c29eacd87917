// Tests of the fast element-wise kernels against Double-precision truth and the reference kernels.
// Error bounds (checked here, stated in Docs/Tensors.md):
//   exp   relative error ≤ 4e-7 on [-87, 88]; exp(−∞) = exp(−200) = 0 exactly; exp(89) = +∞
//   tanh  absolute error ≤ 5e-7            gelu, geluBackward  absolute error ≤ 1e-6 (per unit of dy)
//   softmax / LayerNorm / Adam: within 1e-6…1e-5 of the Double-accumulating references (bounds per test)
// Sizes above 64 Ki elements exercise the threaded paths.

import Foundation
import Testing
import PropertyTesting
@testable import Tensors

/// Runs `body` with `Kernels.threadCount` set to `n`, then restores it.
func withThreads<T>(_ n: Int, _ body: () throws -> T) rethrows -> T {
    let saved = Kernels.threadCount
    Kernels.threadCount = n
    defer { Kernels.threadCount = saved }
    return try body()
}

func randomFloats(_ n: Int, seed: UInt64, scale: Float = 1) -> [Float] {
    var rng = Xoshiro256(seed: seed)
    return (0..<n).map { _ in rng.nextGaussian() * scale }
}

@Suite struct KernelElementwiseTests {
    @Test func expRelativeErrorAndSpecialValues() {
        var xs: [Float] = stride(from: Float(-87), through: 88, by: 0.0137).map { $0 }
        xs += [0, -0.0, 1e-30, -1e-30, 0.5, -0.5, 88.5, -87.3]
        var ys = [Float](repeating: 0, count: xs.count)
        Kernels.exp(xs, &ys, count: xs.count)
        var worst = 0.0
        for (x, y) in zip(xs, ys) {
            let truth = Foundation.exp(Double(x))
            worst = max(worst, abs(Double(y) - truth) / truth)
        }
        #expect(worst <= 4e-7, "exp max relative error \(worst)")
        let special: [Float] = [-.infinity, -200, -104, 89, .infinity, 0]
        var out = [Float](repeating: 1, count: special.count)
        Kernels.exp(special, &out, count: special.count)
        #expect(out == [0, 0, 0, .infinity, .infinity, 1])
    }

    @Test func tanhAbsoluteError() {
        let xs: [Float] = stride(from: Float(-12), through: 12, by: 0.00173).map { $0 } + [0, 0.625, -0.625, 1e-8]
        var ys = [Float](repeating: 0, count: xs.count)
        Kernels.tanh(xs, &ys, count: xs.count)
        let worst = zip(xs, ys).map { abs(Double($1) - Foundation.tanh(Double($0))) }.max()!
        #expect(worst <= 5e-7, "tanh max abs error \(worst)")
        #expect(abs(ys[xs.count - 1] - 1e-8) <= 1e-14)
    }

    @Test func geluAndBackwardMatchReferenceOverRandomLengths() {
        propertyCheck(Gen<(Int, UInt64)>.zip(.int(in: 0...300), seedGen()),
                      cases: 60) { (n, seed) in
            let x = randomFloats(n, seed: seed, scale: 3), dy = randomFloats(n, seed: seed + 1)
            var fast = [Float](repeating: 0, count: n), ref = fast
            Kernels.gelu(x, &fast, count: n)
            Kernels.geluReference(x, &ref, count: n)
            for i in 0..<n { try requireClose(Double(fast[i]), Double(ref[i]), atol: 1e-6, rtol: 0, "gelu(\(x[i]))") }
            Kernels.geluBackward(x, dy, &fast, count: n)
            Kernels.geluBackwardReference(x, dy, &ref, count: n)
            for i in 0..<n {
                try requireClose(Double(fast[i]), Double(ref[i]), atol: 1e-6 * (1 + Double(abs(dy[i]))), rtol: 0,
                                 "gelu'(\(x[i]))·\(dy[i])")
            }
        }
    }

    @Test func geluWorkedValues() {
        // GELU(x) = x·Φ(x): Φ(1) = 0.8413447, Φ(−1) = 0.1586553, Φ(0) = 0.5, saturation far out.
        let x: [Float] = [1, -1, 0, 10, -10]
        var y = [Float](repeating: 0, count: 5)
        Kernels.gelu(x, &y, count: 5)
        #expect(abs(y[0] - 0.8413447) < 1e-6 && abs(y[1] + 0.1586553) < 1e-6)
        #expect(y[2] == 0 && y[3] == 10 && abs(y[4]) < 1e-6)
    }

    @Test func largeInputsThreadedEqualSingleThreaded() {
        let n = 200_003
        let x = randomFloats(n, seed: 5, scale: 4), dy = randomFloats(n, seed: 6)
        var one = [Float](repeating: 0, count: n), two = one
        for (name, op) in [("exp", { (o: inout [Float]) in Kernels.exp(x, &o, count: n) }),
                           ("gelu", { (o: inout [Float]) in Kernels.gelu(x, &o, count: n) }),
                           ("geluBackward", { (o: inout [Float]) in Kernels.geluBackward(x, dy, &o, count: n) })] {
            withThreads(1) { op(&one) }
            withThreads(3) { op(&two) }
            #expect(one == two, "\(name): thread counts differ")
        }
    }

    @Test func softmaxMatchesReferenceSumsToOneAndMasks() {
        let gen = Gen<(Int, Int, UInt64)>.zip(.int(in: 1...40), .int(in: 1...150),
                                                seedGen())
        propertyCheck(gen, cases: 80) { (rows, cols, seed) in
            var x = randomFloats(rows * cols, seed: seed, scale: 5)
            var rng = Xoshiro256(seed: seed ^ 0xABC)
            // Mask some positions, and all of some rows, with −∞.
            for r in 0..<rows {
                let all = rng.nextInt(below: 8) == 0
                for j in 0..<cols where all || rng.nextInt(below: 4) == 0 { x[r * cols + j] = -.infinity }
            }
            var fast = [Float](repeating: 9, count: x.count), ref = fast
            Kernels.softmaxRows(x, &fast, rows: rows, cols: cols)
            Kernels.softmaxRowsReference(x, &ref, rows: rows, cols: cols)
            for r in 0..<rows {
                let row = fast[(r * cols)..<((r + 1) * cols)]
                let masked = (0..<cols).filter { x[r * cols + $0] == -.infinity }
                for j in masked { try require(fast[r * cols + j] == 0, "masked position not 0") }
                if masked.count == cols {
                    try require(row.allSatisfy { $0 == 0 }, "all-masked row \(r) not zeros")
                } else {
                    try requireClose(row.reduce(0.0) { $0 + Double($1) }, 1, atol: 2e-6, rtol: 0, "row \(r) sum")
                }
                for j in 0..<cols {
                    try requireClose(Double(fast[r * cols + j]), Double(ref[r * cols + j]), atol: 1e-6, rtol: 1e-6,
                                     "softmax[\(r)][\(j)]")
                }
            }
            // Backward against the reference.
            let dy = randomFloats(rows * cols, seed: seed + 7)
            var dxFast = [Float](repeating: 0, count: x.count), dxRef = dxFast
            Kernels.softmaxRowsBackward(ref, dy, &dxFast, rows: rows, cols: cols)
            Kernels.softmaxRowsBackwardReference(ref, dy, &dxRef, rows: rows, cols: cols)
            for i in dxFast.indices {
                try requireClose(Double(dxFast[i]), Double(dxRef[i]), atol: 2e-6, rtol: 1e-5, "dsoftmax[\(i)]")
            }
        }
    }

    /// The masked softmax (mask row r / perMaskRow added inside the pass) is bit-identical to adding the mask first
    /// and taking the plain softmax, and close to its reference; masks hold 0, −∞ (whole rows too) and finite values.
    @Test func maskedSoftmaxEqualsAddingTheMaskFirst() {
        let gen = Gen<(Int, Int, UInt64)>.zip(.int(in: 1...4), .int(in: 1...70), seedGen())
        propertyCheck(gen, cases: 80) { (maskRows, cols, seed) in
            let perMaskRow = 1 + Int(seed % 9)
            let rows = maskRows * perMaskRow
            let x = randomFloats(rows * cols, seed: seed, scale: 5)
            var mask = randomFloats(maskRows * cols, seed: seed ^ 0x55, scale: 3)
            var rng = Xoshiro256(seed: seed ^ 0xABC)
            for r in 0..<maskRows {
                let all = rng.nextInt(below: 6) == 0
                for j in 0..<cols where all || rng.nextInt(below: 3) == 0 { mask[r * cols + j] = -.infinity }
                for j in 0..<cols where rng.nextInt(below: 3) == 0 { mask[r * cols + j] = 0 }
            }
            var added = [Float](repeating: 0, count: x.count)
            for r in 0..<rows { for j in 0..<cols { added[r * cols + j] = x[r * cols + j] + mask[(r / perMaskRow) * cols + j] } }
            var unfused = [Float](repeating: 7, count: x.count), fused = unfused, ref = unfused
            Kernels.softmaxRows(added, &unfused, rows: rows, cols: cols)
            Kernels.softmaxRows(x, &fused, rows: rows, cols: cols, additiveMask: mask, rowsPerMaskRow: perMaskRow)
            Kernels.softmaxRowsReference(x, &ref, rows: rows, cols: cols, additiveMask: mask, rowsPerMaskRow: perMaskRow)
            try require(fused == unfused, "fused masked softmax differs from add-then-softmax")
            for i in ref.indices { try requireClose(Double(fused[i]), Double(ref[i]), atol: 1e-6, rtol: 1e-6, "masked softmax[\(i)]") }
        }
    }

    @Test func inPlaceEqualsOutOfPlace() {
        let rows = 7, cols = 37, n = rows * cols
        let x = randomFloats(n, seed: 21, scale: 2)
        for (name, op) in [
            ("exp", { (src: UnsafePointer<Float>, dst: UnsafeMutablePointer<Float>) in Kernels.exp(src, dst, count: n) }),
            ("gelu", { (src: UnsafePointer<Float>, dst: UnsafeMutablePointer<Float>) in Kernels.gelu(src, dst, count: n) }),
            ("softmax", { (src: UnsafePointer<Float>, dst: UnsafeMutablePointer<Float>) in
                Kernels.softmaxRows(src, dst, rows: rows, cols: cols) }),
        ] {
            var out = [Float](repeating: 0, count: n), inPlace = x
            x.withUnsafeBufferPointer { xs in out.withUnsafeMutableBufferPointer { op(xs.baseAddress!, $0.baseAddress!) } }
            inPlace.withUnsafeMutableBufferPointer { op(UnsafePointer($0.baseAddress!), $0.baseAddress!) }
            #expect(out == inPlace, "\(name) in place differs")
        }
    }

    @Test func softmaxLargeThreaded() {
        let rows = 3000, cols = 67
        let x = randomFloats(rows * cols, seed: 11, scale: 3)
        var one = [Float](repeating: 0, count: x.count), two = one, ref = one
        withThreads(1) { Kernels.softmaxRows(x, &one, rows: rows, cols: cols) }
        withThreads(2) { Kernels.softmaxRows(x, &two, rows: rows, cols: cols) }
        Kernels.softmaxRowsReference(x, &ref, rows: rows, cols: cols)
        #expect(one == two)
        #expect(zip(one, ref).allSatisfy { abs($0 - $1) <= 1e-6 })
    }

    /// LayerNorm forward and backward against the references; `threads` > 1 with big shapes takes the pool path.
    func checkLayerNorm(rows: Int, cols: Int, seed: UInt64) throws {
        let x = randomFloats(rows * cols, seed: seed, scale: 2).map { $0 + 0.5 }
        let gamma = randomFloats(cols, seed: seed + 1), beta = randomFloats(cols, seed: seed + 2)
        let dy = randomFloats(rows * cols, seed: seed + 3)
        var yF = [Float](repeating: 0, count: x.count), yR = yF
        var muF = [Float](repeating: 0, count: rows), muR = muF, rsF = muF, rsR = muF
        Kernels.layerNormRows(x, gamma: gamma, beta: beta, &yF, mean: &muF, rstd: &rsF, rows: rows, cols: cols,
                              eps: 1e-5)
        Kernels.layerNormRowsReference(x, gamma: gamma, beta: beta, &yR, mean: &muR, rstd: &rsR, rows: rows,
                                       cols: cols, eps: 1e-5)
        for r in 0..<rows {
            try requireClose(Double(muF[r]), Double(muR[r]), atol: 1e-6, rtol: 1e-6, "mean[\(r)]")
            try requireClose(Double(rsF[r]), Double(rsR[r]), atol: 0, rtol: 1e-5, "rstd[\(r)]")
        }
        for i in yF.indices { try requireClose(Double(yF[i]), Double(yR[i]), atol: 2e-5, rtol: 1e-5, "y[\(i)]") }
        var dxF = [Float](repeating: 0, count: x.count), dxR = dxF
        var dgF = [Float](repeating: 0.5, count: cols), dgR = dgF, dbF = dgF, dbR = dgF   // accumulates onto 0.5
        Kernels.layerNormRowsBackward(x, mean: muR, rstd: rsR, gamma: gamma, dy, &dxF, dgamma: &dgF, dbeta: &dbF,
                                      rows: rows, cols: cols)
        Kernels.layerNormRowsBackwardReference(x, mean: muR, rstd: rsR, gamma: gamma, dy, &dxR, dgamma: &dgR,
                                               dbeta: &dbR, rows: rows, cols: cols)
        for i in dxF.indices { try requireClose(Double(dxF[i]), Double(dxR[i]), atol: 1e-5, rtol: 1e-4, "dx[\(i)]") }
        let sumScale = Double(rows).squareRoot() * 1e-5
        for j in 0..<cols {
            try requireClose(Double(dgF[j]), Double(dgR[j]), atol: sumScale, rtol: 1e-5, "dgamma[\(j)]")
            try requireClose(Double(dbF[j]), Double(dbR[j]), atol: sumScale, rtol: 1e-5, "dbeta[\(j)]")
        }
    }

    @Test func layerNormMatchesReference() {
        let gen = Gen<(Int, Int, UInt64)>.zip(.int(in: 1...70), .int(in: 1...100),
                                                seedGen())
        propertyCheck(gen, cases: 60) { (rows, cols, seed) in try checkLayerNorm(rows: rows, cols: cols, seed: seed) }
    }

    @Test func layerNormLargeThreadedAndDeterministic() throws {
        try withThreads(2) { try checkLayerNorm(rows: 300, cols: 384, seed: 42) }
        // dgamma/dbeta partials do not depend on the thread count: bit-identical results.
        let rows = 500, cols = 200
        let x = randomFloats(rows * cols, seed: 1), dy = randomFloats(rows * cols, seed: 2)
        let gamma = randomFloats(cols, seed: 3), mean = [Float](repeating: 0.1, count: rows)
        let rstd = [Float](repeating: 0.9, count: rows)
        var results: [[Float]] = []
        for t in [1, 2, 3] {
            var dx = [Float](repeating: 0, count: x.count), dg = [Float](repeating: 0, count: cols), db = dg
            withThreads(t) {
                Kernels.layerNormRowsBackward(x, mean: mean, rstd: rstd, gamma: gamma, dy, &dx, dgamma: &dg,
                                              dbeta: &db, rows: rows, cols: cols)
            }
            results.append(dx + dg + db)
        }
        #expect(results[0] == results[1] && results[1] == results[2])
    }

    @Test func vectorSquareRootIsAccurate() {
        var worst = 0.0
        var x: Float = 1e-30
        while x < 1e30 {
            let r = vsqrt(SIMD16<Float>(repeating: x))[0]
            worst = max(worst, abs(Double(r) - Double(x).squareRoot()) / Double(x).squareRoot())
            x *= 1.37
        }
        #expect(worst <= 3e-7, "vsqrt max relative error \(worst)")
        #expect(vsqrt(SIMD16<Float>(repeating: 0))[0] == 0)
    }

    @Test func adamMatchesReference() {
        let gen = Gen<(Int, Int, UInt64)>.zip(.int(in: 0...100), .int(in: 1...5000),
                                                seedGen())
        propertyCheck(gen, cases: 40) { (n, step, seed) in
            let g = randomFloats(n, seed: seed)
            var pF = randomFloats(n, seed: seed + 1), mF = randomFloats(n, seed: seed + 2, scale: 0.1)
            var vF = randomFloats(n, seed: seed + 3, scale: 0.1).map { $0 * $0 }
            var pR = pF, mR = mF, vR = vF
            Kernels.adamStep(param: &pF, grad: g, m: &mF, v: &vF, count: n, lr: 1e-3, beta1: 0.9, beta2: 0.999,
                             eps: 1e-8, decoupledWeightDecay: 0.01, step: step)
            Kernels.adamStepReference(param: &pR, grad: g, m: &mR, v: &vR, count: n, lr: 1e-3, beta1: 0.9,
                                      beta2: 0.999, eps: 1e-8, decoupledWeightDecay: 0.01, step: step)
            for i in 0..<n {
                try requireClose(Double(mF[i]), Double(mR[i]), atol: 1e-7, rtol: 1e-6, "m[\(i)]")
                try requireClose(Double(vF[i]), Double(vR[i]), atol: 1e-9, rtol: 1e-6, "v[\(i)]")
                // The update is ≤ ~lr·(1 + …); allow a few float ulps of it plus the rounding of p.
                try requireClose(Double(pF[i]), Double(pR[i]), atol: 1e-8, rtol: 2e-7, "p[\(i)]")
            }
        }
    }
}

/// Seeds for per-case random data.
func seedGen() -> Gen<UInt64> { Gen<Int>.int(in: 0...1_000_000).map { UInt64($0) } }
