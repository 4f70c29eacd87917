// The SGEMM micro-kernel for 256-bit vectors: one 6×16 tile of C from a 6-row sliver of A and a 16-column panel of B.
//
//   acc[6×16] = Σ_p  A(i, p) · B(p, j),   i < 6, j < 16, p < k
//   C(i, j)   = alpha · acc(i, j) + beta · C(i, j)          (beta == 0: C is not read)
//
// The accumulators are 12 SIMD8<Float> values: 12 of AVX2's 16 ymm registers, leaving two for the B vectors of a k
// step and one for a broadcast of A (on NEON, 24 of its 32 q registers). Per k step: two vector loads of B, six
// broadcasts of A, twelve fused multiply-adds — twelve independent chains, enough to cover two FMA pipes with a
// latency of 4–5 cycles. Same per-element arithmetic as `microKernel8x32` (one FMA per p, in order; the same
// epilogue), so the two kernels give bit-identical C.
//
// Strides as in the 8×32 kernel: A(i, p) = a[i·ars + p·aks], B(p, j) = b[p·bks + j].
// Leaves out: edge tiles (the driver computes them into a scratch 6×16 tile), prefetching.

@inline(__always)
func loadVector8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
func storeVector8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}

/// Writes `alpha·acc + beta·C` (or `alpha·acc` when beta == 0) to 8 floats of C: the arithmetic of `storeTileRow`.
@inline(__always)
func storeTileRow8(_ acc: SIMD8<Float>, _ c: UnsafeMutablePointer<Float>, alpha: Float, beta: Float) {
    var r = acc * alpha
    if beta != 0 { r = r.addingProduct(SIMD8(repeating: beta), loadVector8(c)) }
    storeVector8(r, c)
}

/// C[6×16] (row stride ldc) = alpha · A[6×k] · B[k×16] + beta · C. See the file comment for the strides.
@inline(never)
func microKernel6x16(k: Int, a: UnsafePointer<Float>, ars: Int, aks: Int, b: UnsafePointer<Float>, bks: Int,
                     c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float) {
    var c00 = SIMD8<Float>(), c01 = SIMD8<Float>(), c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
    var c20 = SIMD8<Float>(), c21 = SIMD8<Float>(), c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
    var c40 = SIMD8<Float>(), c41 = SIMD8<Float>(), c50 = SIMD8<Float>(), c51 = SIMD8<Float>()
    let r0 = a, r1 = a + ars, r2 = a + 2 * ars, r3 = a + 3 * ars, r4 = a + 4 * ars, r5 = a + 5 * ars
    var pa = 0, pb = b
    for _ in 0..<k {
        let b0 = loadVector8(pb), b1 = loadVector8(pb + 8)
        var x = SIMD8<Float>(repeating: r0[pa])
        c00 = c00.addingProduct(x, b0); c01 = c01.addingProduct(x, b1)
        x = SIMD8<Float>(repeating: r1[pa])
        c10 = c10.addingProduct(x, b0); c11 = c11.addingProduct(x, b1)
        x = SIMD8<Float>(repeating: r2[pa])
        c20 = c20.addingProduct(x, b0); c21 = c21.addingProduct(x, b1)
        x = SIMD8<Float>(repeating: r3[pa])
        c30 = c30.addingProduct(x, b0); c31 = c31.addingProduct(x, b1)
        x = SIMD8<Float>(repeating: r4[pa])
        c40 = c40.addingProduct(x, b0); c41 = c41.addingProduct(x, b1)
        x = SIMD8<Float>(repeating: r5[pa])
        c50 = c50.addingProduct(x, b0); c51 = c51.addingProduct(x, b1)
        pa &+= aks; pb += bks
    }
    var pc = c
    storeTileRow8(c00, pc, alpha: alpha, beta: beta); storeTileRow8(c01, pc + 8, alpha: alpha, beta: beta); pc += ldc
    storeTileRow8(c10, pc, alpha: alpha, beta: beta); storeTileRow8(c11, pc + 8, alpha: alpha, beta: beta); pc += ldc
    storeTileRow8(c20, pc, alpha: alpha, beta: beta); storeTileRow8(c21, pc + 8, alpha: alpha, beta: beta); pc += ldc
    storeTileRow8(c30, pc, alpha: alpha, beta: beta); storeTileRow8(c31, pc + 8, alpha: alpha, beta: beta); pc += ldc
    storeTileRow8(c40, pc, alpha: alpha, beta: beta); storeTileRow8(c41, pc + 8, alpha: alpha, beta: beta); pc += ldc
    storeTileRow8(c50, pc, alpha: alpha, beta: beta); storeTileRow8(c51, pc + 8, alpha: alpha, beta: beta)
}
