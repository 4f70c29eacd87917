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
    /// Column panel width: only the panels on or above the diagonal of C are multiplied.
    public static let panelColumns = 128

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

        let b = Self.blockRows, p = Self.panelColumns
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
                    // product[I, J] = block[:, I]ᵀ · block[:, J] for column panels I ≤ J only (C is symmetric):
                    // with P-wide panels this is p(p+1)/2 of the p² panel products (2/3 of the work at d = 384).
                    for i0 in stride(from: 0, to: d, by: p) {
                        for j0 in stride(from: i0, to: d, by: p) {
                            Kernels.sgemm(transA: true, transB: false, m: min(p, d - i0), n: min(p, d - j0), k: rows,
                                          alpha: 1, a: block + i0, lda: d, b: block + j0, ldb: d,
                                          beta: 0, c: product + (i0 * d + j0), ldc: d)
                        }
                    }
                    for i in 0..<d {
                        let from = (i / p) * p            // the upper panels of row i start at its diagonal panel
                        for j in from..<d { a[i * d + j] += Double(product[i * d + j]) }
                    }
                    start += rows
                }
                // Mirror the upper triangle (inside diagonal panels the two halves are averaged), divide by n − 1.
                let scale = 1 / Double(n - 1)
                for i in 0..<d {
                    a[i * d + i] *= scale
                    for j in (i + 1)..<max(i + 1, d) {
                        let sameDiagonalPanel = i / p == j / p
                        let s = (sameDiagonalPanel ? 0.5 * (a[i * d + j] + a[j * d + i]) : a[i * d + j]) * scale
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
