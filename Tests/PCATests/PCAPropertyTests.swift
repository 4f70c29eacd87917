// Properties of a PCA fit on random matrices with a decaying spectrum (sizes n ≤ 80, d ≤ 24):
// orthonormal components, non-negative non-increasing variances, the sign rule, exact reconstruction at k = d,
// idempotent projection, choose-k by variance share, Dense export = uncentred transform, covariance accuracy.
import Testing
import Tensors
import PropertyTesting
@testable import PCA

@Suite struct PCAPropertyTests {
    /// (n, d, seed, rank) with n > d, so that the data have d non-zero variances unless rank < d.
    static var shapes: Gen<(n: Int, d: Int, seed: UInt64)> {
        Gen.zip(Gen.int(in: 1...24), Gen.int(in: 0...1_000_000), Gen.int(in: 0...3))
        .map { (d, seed, extra) in (n: d + 2 + 3 * d * extra / 2, d: d, seed: UInt64(seed)) }
    }

    @Test func componentsAreOrthonormalAndVariancesSortedNonNegative() {
        propertyCheck(Self.shapes, cases: 40) { s in
            let m = try PCAModel.fit(structuredMatrix(n: s.n, d: s.d, seed: s.seed))
            try require(m.componentCount == s.d, "k = \(m.componentCount), expected \(s.d)")
            for i in 0..<s.d {
                for j in i..<s.d {
                    var dot = 0.0
                    for t in 0..<s.d { dot += m.components[i * s.d + t] * m.components[j * s.d + t] }
                    try requireClose(dot, i == j ? 1 : 0, atol: 1e-10, rtol: 0, "wᵢ·wⱼ (\(i), \(j))")
                }
            }
            for (j, v) in m.explainedVariance.enumerated() {
                try require(v >= 0, "λ\(j) = \(v) < 0")
                if j > 0 { try require(m.explainedVariance[j - 1] >= v, "λ not non-increasing at \(j)") }
            }
            try requireClose(m.cumulativeExplainedVarianceRatio.last!, 1, atol: 1e-9, rtol: 0, "Σ ratio")
        }
    }

    @Test func signConventionLargestAbsoluteEntryIsPositive() {
        propertyCheck(Self.shapes, cases: 40) { s in
            let m = try PCAModel.fit(structuredMatrix(n: s.n, d: s.d, seed: s.seed))
            for j in 0..<m.componentCount {
                let row = m.components[(j * s.d)..<((j + 1) * s.d)]
                let top = row.max { abs($0) < abs($1) }!
                try require(top > 0, "component \(j): largest-|value| entry \(top) is negative")
            }
        }
    }

    @Test func fullRankReconstructionIsIdentityAndProjectionIsIdempotent() {
        propertyCheck(Self.shapes, cases: 30) { s in
            let x = structuredMatrix(n: s.n, d: s.d, seed: s.seed)
            let m = try PCAModel.fit(x)
            let back = m.inverseTransform(m.transform(x))
            try require(maxAbsDiff(back.scalars, x.scalars) < 1e-4, "x̂ ≠ x at k = d: \(maxAbsDiff(back.scalars, x.scalars))")
            let k = max(1, s.d / 2)
            let once = m.project(x, k: k)
            let twice = m.project(once, k: k)
            try require(maxAbsDiff(once.scalars, twice.scalars) < 1e-4, "project twice ≠ once (k \(k))")
        }
    }

    @Test func rankDeficientDataGiveZeroTrailingVariances() {
        propertyCheck(Gen.zip(Gen.int(in: 3...20), Gen.int(in: 0...1_000_000)), cases: 30) { (d, seed) in
            let r = d / 2
            let x = structuredMatrix(n: 2 * d + 5, d: d, seed: UInt64(seed), decay: 0.9, rank: r)
            let m = try PCAModel.fit(x)
            // Zero up to the Float32 floor of the covariance products (~1e-7·λ₀; see Docs/PCA.md "Accuracy").
            for j in r..<d {
                try require(m.explainedVariance[j] <= 1e-6 * m.explainedVariance[0],
                            "λ\(j) = \(m.explainedVariance[j]) for rank \(r), λ₀ = \(m.explainedVariance[0])")
            }
            let back = m.inverseTransform(m.transform(x, k: r))
            try require(maxAbsDiff(back.scalars, x.scalars) < 1e-4, "rank-\(r) data not reconstructed from \(r) components")
        }
    }

    @Test func chooseKByVarianceShareIsTheSmallestKExceedingTheShare() {
        propertyCheck(Gen.zip(Self.shapes, Gen.float(in: 0.05...1)), cases: 40) { (s, share) in
            let m = try PCAModel.fit(structuredMatrix(n: s.n, d: s.d, seed: s.seed))
            let k = try m.componentCount(forVarianceShare: Double(share))
            let c = m.cumulativeExplainedVarianceRatio
            try require(k >= 1 && k <= m.componentCount, "k = \(k)")
            if k < m.componentCount { try require(c[k - 1] > Double(share), "cum[\(k - 1)] = \(c[k - 1]) ≤ \(share)") }
            if k > 1 { try require(c[k - 2] <= Double(share), "k - 1 = \(k - 1) already exceeds \(share)") }
            let fitted = try PCAModel.fit(structuredMatrix(n: s.n, d: s.d, seed: s.seed), selection: .varianceShare(Double(share)))
            try require(fitted.componentCount == k, "fit(.varianceShare) kept \(fitted.componentCount), expected \(k)")
        }
    }

    @Test func denseExportEqualsUncentredTransformAndCentredDenseEqualsTransform() {
        propertyCheck(Self.shapes, cases: 30) { s in
            let x = structuredMatrix(n: s.n, d: s.d, seed: s.seed)
            let k = max(1, s.d - 1)
            let m = try PCAModel.fit(x, selection: .count(k))
            let plain = m.denseLayer()
            try require(plain.bias == nil && plain.weight.shape == [k, s.d], "Dense must be bias-free [k × d]")
            try require(maxAbsDiff(plain(x).scalars, m.transform(x, centered: false).scalars) < 1e-5,
                        "Dense(x) ≠ W·x")
            let centred = m.denseLayer(centered: true)
            try require(maxAbsDiff(centred(x).scalars, m.transform(x).scalars) < 1e-4, "Dense(x) + b ≠ W·(x − μ)")
        }
    }

    /// (n, d): several 256-row blocks with one column panel; and a partial row block with three column panels
    /// (64, 64, 64, 64, 14), so both the block accumulation and the upper-panel-only products are exercised.
    @Test(arguments: [(700, 9), (260, 270)])
    func covarianceMatchesDoubleComputationAcrossBlocksAndPanels(_ shape: (Int, Int)) throws {
        let (n, d) = shape
        let x = structuredMatrix(n: n, d: d, seed: 42, decay: 0.98)
        let stats = try CovarianceStats(x)
        let v = x.scalars.map(Double.init)
        var mu = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { mu[j] += v[i * d + j] / Double(n) } }
        var c = [Double](repeating: 0, count: d * d)
        for a in 0..<d {
            #expect(abs(stats.mean[a] - mu[a]) < 1e-12)
            for b in 0..<d {
                for i in 0..<n { c[a * d + b] += (v[i * d + a] - mu[a]) * (v[i * d + b] - mu[b]) }
                c[a * d + b] /= Double(n - 1)
            }
        }
        // Tolerance relative to the entry's natural scale √(C_aa·C_bb): Float32 products (blocks of 256 terms)
        // give ~1e-7 of it; 1e-6 leaves room for a Float-accumulating fast sgemm.
        for a in 0..<d {
            for b in 0..<d {
                let scale = (c[a * d + a] * c[b * d + b]).squareRoot()
                #expect(abs(stats.covariance[a * d + b] - c[a * d + b]) <= 1e-6 * scale, "C[\(a),\(b)]")
                #expect(stats.covariance[a * d + b] == stats.covariance[b * d + a], "C symmetric")
            }
        }
    }

    /// The passes run on the worker pool over fixed partitions (16 mean slabs, 32-row chunks; the eigensolver's two
    /// column ranges), so the statistics and the fitted model are the same, bit for bit, whatever the thread count.
    @Test func fitIsTheSameForAnyThreadCount() throws {
        let x = structuredMatrix(n: 1_000, d: 140, seed: 9, decay: 0.97)
        let saved = Kernels.threadCount
        defer { Kernels.threadCount = saved }
        Kernels.threadCount = 1
        let one = try CovarianceStats(x), fitOne = try PCAModel.fit(x)
        Kernels.threadCount = 3
        let three = try CovarianceStats(x), fitThree = try PCAModel.fit(x)
        #expect(one.mean == three.mean)
        #expect(one.covariance == three.covariance)
        #expect(fitOne.components == fitThree.components && fitOne.explainedVariance == fitThree.explainedVariance)
    }

    /// A NaN or ±∞ anywhere (here: the last row, and +∞/−∞ in one column, whose sum is NaN) is an error.
    @Test func nonFiniteEntriesAnywhereAreErrors() throws {
        for bad in [(999, 3, Float.nan), (0, 0, Float.infinity)] {
            let x = structuredMatrix(n: 1_000, d: 8, seed: 3)
            x.pointer[bad.0 * 8 + bad.1] = bad.2
            if bad.2 == .infinity { x.pointer[500 * 8] = -.infinity }
            #expect(throws: PCAError.self) { try CovarianceStats(x) }
        }
    }

    @Test func badShapesAndArgumentsAreErrors() throws {
        #expect(throws: PCAError.self) { try PCAModel.fit(Tensor(zeros: [1, 4])) }
        #expect(throws: PCAError.self) { try PCAModel.fit(Tensor(shape: [2, 1], scalars: [1, .infinity])) }
        let x = structuredMatrix(n: 10, d: 4, seed: 1)
        #expect(throws: PCAError.self) { try PCAModel.fit(x, selection: .count(5)) }
        #expect(throws: PCAError.self) { try PCAModel.fit(x, selection: .varianceShare(1.5)) }
        // n < d: scikit-learn keeps min(n, d) components.
        #expect(try PCAModel.fit(structuredMatrix(n: 3, d: 6, seed: 2)).componentCount == 3)
    }
}
