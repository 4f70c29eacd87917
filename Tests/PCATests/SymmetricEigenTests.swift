// The eigensolver against matrices with known eigenpairs: A·v = λ·v, VᵀV = I, values sorted descending, on random
// sizes, repeated eigenvalues and rank-deficient matrices.
import Testing
import Tensors
import PropertyTesting
@testable import PCA

@Suite struct SymmetricEigenTests {
    /// Residual max |A·vⱼ − λⱼ·vⱼ|, orthonormality max |VᵀV − I|, sortedness.
    static func check(_ a: [Double], _ n: Int, _ eig: SymmetricEigen, scale: Double) throws {
        let v = eig.vectors
        for j in 0..<n {
            for i in 0..<n {
                var av = 0.0
                for k in 0..<n { av += a[i * n + k] * v[j * n + k] }
                try requireClose(av, eig.values[j] * v[j * n + i], atol: 1e-11 * scale, rtol: 0, "A·v = λv (j \(j), i \(i))")
            }
            for k in j..<n {
                var dot = 0.0
                for i in 0..<n { dot += v[j * n + i] * v[k * n + i] }
                try requireClose(dot, j == k ? 1 : 0, atol: 1e-12, rtol: 0, "vⱼ·vₖ (\(j), \(k))")
            }
        }
        for j in 1..<max(n, 1) { try require(eig.values[j - 1] >= eig.values[j], "eigenvalues not descending at \(j)") }
    }

    @Test func randomSymmetricMatricesAreDiagonalised() {
        propertyCheck(Gen.zip(Gen.int(in: 1...40), Gen.int(in: 0...1_000_000)), cases: 60) { (n, seed) in
            var rng = Xoshiro256(seed: UInt64(seed))
            var a = [Double](repeating: 0, count: n * n)
            for i in 0..<n { for j in i..<n { let x = Double(rng.nextGaussian()); a[i * n + j] = x; a[j * n + i] = x } }
            try Self.check(a, n, try SymmetricEigen(symmetric: a, order: n), scale: Double(n))
        }
    }

    /// The fast path (parallel tred2 from order 96, recorded QL rotations applied by row slabs) against the plain
    /// serial algorithm, on orders where every parallel step runs (n ≥ 96; n not a multiple of 32 gives a ragged slab).
    @Test func fastPathMatchesTheSerialReference() {
        propertyCheck(Gen.zip(Gen.int(in: 96...170), Gen.int(in: 0...1_000_000)), cases: 4) { (n, seed) in
            var rng = Xoshiro256(seed: UInt64(seed))
            var a = [Double](repeating: 0, count: n * n)
            for i in 0..<n { for j in i..<n { let x = Double(rng.nextGaussian()); a[i * n + j] = x; a[j * n + i] = x } }
            let fast = try SymmetricEigen(symmetric: a, order: n)
            let reference = try SymmetricEigen(symmetric: a, order: n, parallelFrom: .max, overlapped: false)
            try Self.check(a, n, fast, scale: Double(n))
            for j in 0..<n {
                try requireClose(fast.values[j], reference.values[j], atol: 1e-12 * Double(n), rtol: 0, "λ\(j)")
            }
            // The overlapped path alone (serial reduction): the grouped accumulation of Q rounds differently from
            // the serial loop, the recorded rotations do not; eigenvalues and (sign-free) eigenvectors agree closely.
            let overlapped = try SymmetricEigen(symmetric: a, order: n, parallelFrom: .max, overlapped: true)
            for j in 0..<n {
                try requireClose(overlapped.values[j], reference.values[j], atol: 1e-12 * Double(n), rtol: 0, "λ\(j)")
                var dot = 0.0
                for k in 0..<n { dot += overlapped.vectors[j * n + k] * reference.vectors[j * n + k] }
                try requireClose(abs(dot), 1, atol: 1e-9, rtol: 0, "|v\(j)·v\(j)ʳᵉᶠ|")
            }
        }
    }

    /// QL on a random tridiagonal with V a random matrix: recording the rotations and applying them by row slabs
    /// of 16 or 32 rows (registers carrying a column, ragged last slab) gives V bit for bit as rotating it while
    /// iterating does.
    @Test(arguments: [16, 32])
    func recordedRotationsEqualRotatingAsQLGoes(slabRows: Int) throws {
        for (n, seed) in [(1, 1), (2, 2), (33, 3), (100, 4), (47, 5)] as [(Int, UInt64)] {
            var rng = Xoshiro256(seed: seed)
            let d = (0..<n).map { _ in Double(rng.nextGaussian()) }
            let e = [0] + (1..<max(n, 1)).map { _ in Double(rng.nextGaussian()) }
            let v = (0..<(n * n)).map { _ in Double(rng.nextGaussian()) }
            var (d1, e1, v1) = (d, e, v), (d2, e2, v2) = (d, e, v)
            try implicitQL(&v1, &d1, &e1, n)
            let sweeps = try implicitQLRecordingRotations(&d2, &e2, n)
            v2.withUnsafeMutableBufferPointer { sweeps.apply(to: $0.baseAddress!, n, slabRows: slabRows) }
            #expect(d1 == d2, "eigenvalues, n = \(n)")
            #expect(v1 == v2, "rotated V, n = \(n), slabs of \(slabRows)")
        }
    }

    /// Repeated and zero eigenvalues on the fast path (n = 130: parallel steps and a ragged row slab).
    @Test func fastPathRecoversRepeatedEigenvalues() throws {
        var rng = Xoshiro256(seed: 11)
        let n = 130
        let l = (0..<n).map { _ in [0, 2.5, -1][rng.nextInt(below: 3)] }
        let a = symmetricFrom(eigenvalues: l, vectors: randomOrthogonal(n, &rng))
        let eig = try SymmetricEigen(symmetric: a, order: n)
        try Self.check(a, n, eig, scale: 10)
        let sorted = l.sorted(by: >)
        for j in 0..<n { try requireClose(eig.values[j], sorted[j], atol: 1e-11, rtol: 0, "λ\(j)") }
    }

    @Test func knownSpectraWithRepeatedAndZeroEigenvaluesAreRecovered() {
        // Eigenvalues drawn from a tiny set, so most matrices have repeated values; zeros make them rank-deficient.
        let gen = Gen.zip(Gen.int(in: 1...32), Gen.int(in: 0...1_000_000), Gen.int(in: 1...4))
        propertyCheck(gen, cases: 60) { (n, seed, distinct) in
            var rng = Xoshiro256(seed: UInt64(seed))
            let levels: [Double] = Array([0, 2.5, -1, 7][0..<distinct])
            let l = (0..<n).map { _ in levels[rng.nextInt(below: distinct)] }
            let q = randomOrthogonal(n, &rng)
            let a = symmetricFrom(eigenvalues: l, vectors: q)
            let eig = try SymmetricEigen(symmetric: a, order: n)
            try Self.check(a, n, eig, scale: 10)
            let sorted = l.sorted(by: >)
            for j in 0..<n { try requireClose(eig.values[j], sorted[j], atol: 1e-12 * 10 * Double(n), rtol: 0, "λ\(j)") }
        }
    }

    @Test func diagonalAndTinyMatrices() throws {
        let e1 = try SymmetricEigen(symmetric: [3], order: 1)
        #expect(e1.values == [3] && e1.vectors == [1])
        let e0 = try SymmetricEigen(symmetric: [], order: 0)
        #expect(e0.values.isEmpty)
        let z = try SymmetricEigen(symmetric: [Double](repeating: 0, count: 9), order: 3)
        #expect(z.values == [0, 0, 0])
        let d = try SymmetricEigen(symmetric: [1, 0, 0, 0, 5, 0, 0, 0, 2], order: 3)
        #expect(d.values == [5, 2, 1])
        #expect(abs(abs(d.vectors[1]) - 1) < 1e-15)   // eigenvector of 5 is ±e₁
    }

    @Test func nonFiniteInputIsAnError() {
        #expect(throws: PCAError.nonFinite(what: "matrix given to the eigensolver")) {
            try SymmetricEigen(symmetric: [1, .nan, .nan, 1], order: 2)
        }
    }
}
