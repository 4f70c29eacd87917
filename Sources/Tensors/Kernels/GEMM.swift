// Matrix multiplication on raw row-major Float32 buffers, with the cblas_sgemm(RowMajor, …) contract:
//   C[m×n] = alpha · op(A)[m×k] · op(B)[k×n] + beta · C,   op(X) = X or Xᵀ.
// `lda`, `ldb`, `ldc` are the row strides of A, B, C as stored (A stored m×k, or k×m when transA).
// Forward passes use NN (or NT for PyTorch-layout weights); the input gradient is NT, the weight gradient TN.
// This file holds the public entry points and the readable reference kernel that tests hold the fast one equal to.
// The fast path lives in GEMMDriver.swift (blocking, threads), GEMMPacking.swift, the micro-kernels
// (GEMMMicroKernel.swift: 8×32 for AVX-512; GEMMMicroKernel6x16.swift: 6×16 for 256/128-bit vectors) and
// GEMMKernelChoice.swift (which kernel runs, and the block sizes).

public enum Kernels {}

extension Kernels {
    /// C = alpha·op(A)·op(B) + beta·C. The fast path (packed, register-tiled, threaded).
    /// With beta == 0, C is not read (NaNs in C do not propagate), as in BLAS.
    /// Products of ≥ 1 MFLOP run on `Kernels.threadCount` threads with the micro-kernel `Kernels.gemmKernel`; results
    /// depend on neither.
    @inlinable
    public static func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
                             a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                             beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        sgemmFast(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                  a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, threads: threadCount,
                  kernel: gemmKernel)
    }

    /// `batch` independent products; operand i starts at `a + i·strideA` (likewise B, C). Used for attention
    /// (batch × heads of S×S×d), where each product is small and parallelism must come from the batch.
    public static func sgemmBatched(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
                                    a: UnsafePointer<Float>, lda: Int, strideA: Int,
                                    b: UnsafePointer<Float>, ldb: Int, strideB: Int,
                                    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int, strideC: Int,
                                    batch: Int) {
        sgemmHeads(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                   a: a, lda: lda, strideA: strideA, headStrideA: 0, b: b, ldb: ldb, strideB: strideB, headStrideB: 0,
                   beta: beta, c: c, ldc: ldc, strideC: strideC, headStrideC: 0, batch: batch, heads: 1)
    }

    /// `batch × heads` independent products, product (i, h) with A at `a + i·strideA + h·headStrideA` (likewise B,
    /// C): attention's heads read in place from [B,S,H] rows (head h = columns h·d‥<(h+1)·d, headStride d, ld H)
    /// instead of copied out to [B,h,S,d]. Each product is the one `sgemm` computes, whatever the strides.
    public static func sgemmHeads(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
                                  a: UnsafePointer<Float>, lda: Int, strideA: Int, headStrideA: Int,
                                  b: UnsafePointer<Float>, ldb: Int, strideB: Int, headStrideB: Int,
                                  beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int, strideC: Int, headStrideC: Int,
                                  batch: Int, heads: Int) {
        let count = batch * heads
        guard count > 0 else { return }
        @inline(__always) func at(_ i: Int, _ stride: Int, _ headStride: Int) -> Int {
            (i / heads) * stride + (i % heads) * headStride
        }
        // Parallel over the products, each serial; a single large product is threaded inside instead.
        if count == 1 {
            sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                  beta: beta, c: c, ldc: ldc)
            return
        }
        let perProduct = Swift.max(1, 2 * m * n * k)
        let minChunk = Swift.max(1, gemmHeadsMinChunkFlops / perProduct)
        let kernel = gemmKernel
        parallelFor(count: count, minChunk: minChunk) { range in
            for i in range {
                sgemmSerial(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                            a: a + at(i, strideA, headStrideA), lda: lda, b: b + at(i, strideB, headStrideB), ldb: ldb,
                            beta: beta, c: c + at(i, strideC, headStrideC), ldc: ldc, kernel: kernel)
            }
        }
    }

    /// The readable reference: a triple loop with a Double accumulator. Slow; the yardstick in tests.
    public static func sgemmReference(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
                                      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                                      beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        for i in 0..<m {
            for j in 0..<n {
                var acc = 0.0
                for p in 0..<k {
                    let x = transA ? a[p * lda + i] : a[i * lda + p]
                    let y = transB ? b[j * ldb + p] : b[p * ldb + j]
                    acc += Double(x) * Double(y)
                }
                let prior: Float = beta == 0 ? 0 : beta * c[i * ldc + j]
                c[i * ldc + j] = alpha * Float(acc) + prior
            }
        }
    }
}
