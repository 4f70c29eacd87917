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
    /// Column panel width: only the panels on or above the diagonal of C are multiplied (64: see `init`).
    public static let panelColumns = 64
    /// Row slabs of the mean pass: a fixed count, so that the summation order (and the result, bit for bit) does not
    /// depend on how many threads run it.
    static let meanSlabs = 16

    /// Computes μ (in Double) and C. The centred block (xᵢ − μ) is formed in Double and rounded to Float once,
    /// so a large common offset in the data does not cost precision. Requires n ≥ 2, every entry finite.
    /// The mean pass, the centring and the Double accumulation run on the kernels' worker pool; the partition of
    /// every pass is fixed, so the result is the same for any thread count.
    public init(_ x: Tensor) throws {
        guard x.rank == 2, x.shape[0] >= 2, x.shape[1] >= 1 else {
            throw PCAError.badShape("expected [n × d] with n ≥ 2, d ≥ 1; got \(x.shape)")
        }
        let n = x.shape[0], d = x.shape[1]
        let xp = UnsafePointer(x.pointer)
        // μ: per-slab column sums (slab s = rows s·n/S ..< (s+1)·n/S), added in slab order. A NaN or ±∞ entry makes
        // its column's sum non-finite (a sum of finite Floats cannot overflow a Double), which is the finiteness check.
        let slabs = min(Self.meanSlabs, n)
        let partial = UnsafeMutablePointer<Double>.allocate(capacity: slabs * d)
        defer { partial.deallocate() }
        Kernels.parallelFor(count: slabs) { range in
            for s in range {
                let sums = partial + s * d
                sums.initialize(repeating: 0, count: d)
                for i in (s * n / slabs)..<((s + 1) * n / slabs) {
                    let row = xp + i * d
                    for j in 0..<d { sums[j] += Double(row[j]) }
                }
            }
        }
        var mean = [Double](repeating: 0, count: d)
        for s in 0..<slabs { for j in 0..<d { mean[j] += partial[s * d + j] } }
        guard mean.allSatisfy({ $0.isFinite }) else { throw PCAError.nonFinite(what: "input matrix") }
        for j in 0..<d { mean[j] /= Double(n) }

        let b = Self.blockRows, p = Self.panelColumns
        var acc = [Double](repeating: 0, count: d * d)
        let block = UnsafeMutablePointer<Float>.allocate(capacity: b * d)
        let product = UnsafeMutablePointer<Float>.allocate(capacity: d * d)
        defer { block.deallocate(); product.deallocate() }
        mean.withUnsafeBufferPointer { mb in
            acc.withUnsafeMutableBufferPointer { ab in
                let m = mb.baseAddress!, a = ab.baseAddress!
                var start = 0
                while start < n {
                    let rows = min(b, n - start)
                    Kernels.parallelFor(count: rows, minChunk: 32) { range in
                        for i in range {
                            let src = xp + (start + i) * d, dst = block + i * d
                            for j in 0..<d { dst[j] = Float(Double(src[j]) - m[j]) }
                        }
                    }
                    // product[I, J…] = block[:, I]ᵀ · block[:, J…] for each row panel I and the panels J ≥ I in one
                    // call (C is symmetric): with d/P panels this is q(q+1)/2 of the q² panel products, q = d/P (21 of 36
                    // at d = 384, P = 64; measured faster than P = 96 or 128, whose calls are larger but do more work).
                    for i0 in stride(from: 0, to: d, by: p) {
                        Kernels.sgemm(transA: true, transB: false, m: min(p, d - i0), n: d - i0, k: rows,
                                      alpha: 1, a: block + i0, lda: d, b: block + i0, ldb: d,
                                      beta: 0, c: product + (i0 * d + i0), ldc: d)
                    }
                    Kernels.parallelFor(count: d, minChunk: 32) { range in
                        for i in range {
                            let from = (i / p) * p        // the upper panels of row i start at its diagonal panel
                            let dst = a + i * d, src = product + i * d
                            for j in from..<d { dst[j] += Double(src[j]) }
                        }
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
