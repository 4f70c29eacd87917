// Column mean and sample covariance of an embedding matrix, the input of the PCA eigensolver
// (extreme-compression paper §4.2 step 2). The O(n·d²) product XcᵀXc runs on `Kernels.sgemm` (Float32) in
// row blocks whose Float results are summed in Double, so the Float accumulation never runs over more than
// `blockRows` terms (relative error ≈ √blockRows · 2⁻²⁴ ≈ 1e-6 per entry, whatever n is).
// Leaves out: weighted samples, streaming updates across calls, sparse input.
//
// Letters: n = rows (samples), d = columns (embedding dimension), B = rows per block.

import Tensors

/// Mean and covariance of the rows of a matrix, in Double.
public struct CovarianceStats: Sendable {
    /// μ = (1/n) Σᵢ xᵢ.  [d]
    public let mean: [Double]
    /// C = (1/(n − 1)) Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ (ddof = 1, as scikit-learn's explained_variance_), row-major. [d × d]
    public let covariance: [Double]
    public let rows: Int
    public let columns: Int

    /// Rows per sgemm block; see the file comment.
    public static let blockRows = 256

    /// Computes μ (in Double) and C. The centred block (xᵢ − μ) is formed in Double and rounded to Float once,
    /// so a large common offset in the data does not cost precision. Requires n ≥ 2, every entry finite.
    public init(_ x: Tensor) throws {
        guard x.rank == 2, x.shape[0] >= 2, x.shape[1] >= 1 else {
            throw PCAError.badShape("expected [n × d] with n ≥ 2, d ≥ 1; got \(x.shape)")
        }
        let n = x.shape[0], d = x.shape[1]
        let xp = UnsafePointer(x.pointer)
        var mean = [Double](repeating: 0, count: d)
        var finite = true
        mean.withUnsafeMutableBufferPointer { m in
            for i in 0..<n {
                let row = xp + i * d
                for j in 0..<d {
                    let v = row[j]
                    if !v.isFinite { finite = false }
                    m[j] += Double(v)
                }
            }
            for j in 0..<d { m[j] /= Double(n) }
        }
        guard finite else { throw PCAError.nonFinite(what: "input matrix") }

        let b = Self.blockRows
        var acc = [Double](repeating: 0, count: d * d)
        let block = UnsafeMutablePointer<Float>.allocate(capacity: b * d)
        let product = UnsafeMutablePointer<Float>.allocate(capacity: d * d)
        defer { block.deallocate(); product.deallocate() }
        mean.withUnsafeBufferPointer { m in
            acc.withUnsafeMutableBufferPointer { a in
                var start = 0
                while start < n {
                    let rows = min(b, n - start)
                    for i in 0..<rows {
                        let src = xp + (start + i) * d, dst = block + i * d
                        for j in 0..<d { dst[j] = Float(Double(src[j]) - m[j]) }
                    }
                    // product[d×d] = blockᵀ[d×rows] · block[rows×d]
                    Kernels.sgemm(transA: true, transB: false, m: d, n: d, k: rows, alpha: 1,
                                  a: block, lda: d, b: block, ldb: d, beta: 0, c: product, ldc: d)
                    for t in 0..<(d * d) { a[t] += Double(product[t]) }
                    start += rows
                }
                // Symmetrise (the two triangles are computed separately) and divide by n − 1.
                let scale = 1 / Double(n - 1)
                for i in 0..<d {
                    for j in i..<d {
                        let s = 0.5 * (a[i * d + j] + a[j * d + i]) * scale
                        a[i * d + j] = s; a[j * d + i] = s
                    }
                }
            }
        }
        self.mean = mean
        self.covariance = acc
        self.rows = n
        self.columns = d
    }
}
