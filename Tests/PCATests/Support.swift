// Helpers for the PCA tests: seeded random matrices with known structure, fixture paths, small matrix algebra in
// Double (the yardstick the Float32 code is compared to).
import Foundation
import Tensors
@testable import PCA

enum Fixtures {
    /// Tests/Fixtures/PCA, found from this file's path (the fixtures are committed; no ../shared needed).
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/PCA")

    static func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    /// The committed float32 little-endian [n × d] embeddings.
    static func minilmEmbeddings() throws -> Tensor {
        let header = try json("minilm-embeddings.json")
        let n = header["n"] as! Int, d = header["d"] as! Int
        let data = try Data(contentsOf: directory.appendingPathComponent("minilm-embeddings.bin"))
        precondition(data.count == n * d * 4, "minilm-embeddings.bin: \(data.count) bytes, expected \(n * d * 4)")
        var scalars = [Float](repeating: 0, count: n * d)
        data.withUnsafeBytes { raw in
            for i in 0..<(n * d) {
                scalars[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
            }
        }
        return Tensor(shape: [n, d], scalars: scalars)
    }
}

/// A random orthogonal d×d matrix (row-major, Double) by Gram–Schmidt on Gaussian rows.
func randomOrthogonal(_ d: Int, _ rng: inout Xoshiro256) -> [Double] {
    var q = [Double](repeating: 0, count: d * d)
    var i = 0
    while i < d {
        var v = (0..<d).map { _ in Double(rng.nextGaussian()) }
        for _ in 0..<2 {                       // re-orthogonalise once for accuracy
            for r in 0..<i {
                var dot = 0.0
                for j in 0..<d { dot += v[j] * q[r * d + j] }
                for j in 0..<d { v[j] -= dot * q[r * d + j] }
            }
        }
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        if norm < 1e-6 { continue }
        for j in 0..<d { q[i * d + j] = v[j] / norm }
        i += 1
    }
    return q
}

/// Qᵀ·diag(λ)·Q for rows of Q as eigenvectors: a symmetric matrix with eigenpairs (λᵢ, row i of Q).
func symmetricFrom(eigenvalues l: [Double], vectors q: [Double]) -> [Double] {
    let d = l.count
    var a = [Double](repeating: 0, count: d * d)
    for r in 0..<d { for i in 0..<d { for j in 0..<d { a[i * d + j] += l[r] * q[r * d + i] * q[r * d + j] } } }
    return a
}

/// An [n × d] Float matrix: Gaussian scores with std `decay^j` along the rows of a random rotation, plus an offset
/// mean (entries in 0…3). `rank` < d zeroes the trailing directions (rank-deficient data).
func structuredMatrix(n: Int, d: Int, seed: UInt64, decay: Double = 0.7, rank: Int? = nil) -> Tensor {
    var rng = Xoshiro256(seed: seed)
    let q = randomOrthogonal(d, &rng)
    let mean = (0..<d).map { _ in 3 * rng.nextDouble() }
    let r = min(rank ?? d, d)
    var x = [Float](repeating: 0, count: n * d)
    for i in 0..<n {
        var row = mean
        var s = 1.0
        for c in 0..<r {
            let z = Double(rng.nextGaussian()) * s
            for j in 0..<d { row[j] += z * q[c * d + j] }
            s *= decay
        }
        for j in 0..<d { x[i * d + j] = Float(row[j]) }
    }
    return Tensor(shape: [n, d], scalars: x)
}

/// Largest |a − b| over two equal-length sequences.
func maxAbsDiff<A: Collection, B: Collection>(_ a: A, _ b: B) -> Double
    where A.Element: BinaryFloatingPoint, B.Element: BinaryFloatingPoint {
    zip(a, b).reduce(0) { max($0, abs(Double($1.0) - Double($1.1))) }
}
