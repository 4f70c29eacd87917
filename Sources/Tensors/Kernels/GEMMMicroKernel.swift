// The SGEMM micro-kernel: one 8×32 tile of C from an 8-row sliver of A and a 32-column panel of B.
//
//   acc[8×32] = Σ_p  A(i, p) · B(p, j),   i < 8, j < 32, p < k
//   C(i, j)   = alpha · acc(i, j) + beta · C(i, j)          (beta == 0: C is not read)
//
// The 8×32 accumulator block is 16 SIMD16<Float> values, which stay in zmm0…15 for the whole k loop (AVX-512 has
// 32 zmm registers). Per k step: two vector loads of B, eight broadcasts of A, sixteen fused multiply-adds. The FMAs
// must be written as `addingProduct` (Swift never contracts `a*b + c`) and the module must be built with
// `-target-cpu native`, else each becomes 16 libm `fmaf` calls (Docs/Tensors.md, "Flags").
//
// A is read through two strides: A(i, p) = a[i·ars + p·aks]. Row-major A in place: ars = lda, aks = 1; a packed
// sliver: ars = 1, aks = 8. B(p, j) = b[p·bks + j]: a packed panel has bks = 32, row-major B in place bks = ldb.
// Leaves out: edge tiles (the driver computes them into a scratch 8×32 tile), prefetching (no gain measured on Zen 5).

@inline(__always)
func loadVector(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always)
func storeVector(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
}

/// Writes `alpha·acc + beta·C` (or `alpha·acc` when beta == 0) to 16 floats of C.
@inline(__always)
func storeTileRow(_ acc: SIMD16<Float>, _ c: UnsafeMutablePointer<Float>, alpha: Float, beta: Float) {
    var r = acc * alpha
    if beta != 0 { r = r.addingProduct(SIMD16(repeating: beta), loadVector(c)) }
    storeVector(r, c)
}

/// C[8×32] (row stride ldc) = alpha · A[8×k] · B[k×32] + beta · C. See the file comment for the strides.
@inline(never)
func microKernel8x32(k: Int, a: UnsafePointer<Float>, ars: Int, aks: Int, b: UnsafePointer<Float>, bks: Int,
                     c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float) {
    var c00 = SIMD16<Float>(), c01 = SIMD16<Float>(), c10 = SIMD16<Float>(), c11 = SIMD16<Float>()
    var c20 = SIMD16<Float>(), c21 = SIMD16<Float>(), c30 = SIMD16<Float>(), c31 = SIMD16<Float>()
    var c40 = SIMD16<Float>(), c41 = SIMD16<Float>(), c50 = SIMD16<Float>(), c51 = SIMD16<Float>()
    var c60 = SIMD16<Float>(), c61 = SIMD16<Float>(), c70 = SIMD16<Float>(), c71 = SIMD16<Float>()
    let r0 = a, r1 = a + ars, r2 = a + 2 * ars, r3 = a + 3 * ars
    let r4 = a + 4 * ars, r5 = a + 5 * ars, r6 = a + 6 * ars, r7 = a + 7 * ars
    var pa = 0, pb = b
    for _ in 0..<k {
        let b0 = loadVector(pb), b1 = loadVector(pb + 16)
        var x = SIMD16<Float>(repeating: r0[pa])
        c00 = c00.addingProduct(x, b0); c01 = c01.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: r1[pa])
        c10 = c10.addingProduct(x, b0); c11 = c11.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: r2[pa])
        c20 = c20.addingProduct(x, b0); c21 = c21.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: r3[pa])
        c30 = c30.addingProduct(x, b0); c31 = c31.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: r4[pa])
        c40 = c40.addingProduct(x, b0); c41 = c41.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: r5[pa])
        c50 = c50.addingProduct(x, b0); c51 = c51.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: r6[pa])
        c60 = c60.addingProduct(x, b0); c61 = c61.addingProduct(x, b1)
        x = SIMD16<Float>(repeating: r7[pa])
        c70 = c70.addingProduct(x, b0); c71 = c71.addingProduct(x, b1)
        pa &+= aks; pb += bks
    }
    var pc = c
    storeTileRow(c00, pc, alpha: alpha, beta: beta); storeTileRow(c01, pc + 16, alpha: alpha, beta: beta); pc += ldc
    storeTileRow(c10, pc, alpha: alpha, beta: beta); storeTileRow(c11, pc + 16, alpha: alpha, beta: beta); pc += ldc
    storeTileRow(c20, pc, alpha: alpha, beta: beta); storeTileRow(c21, pc + 16, alpha: alpha, beta: beta); pc += ldc
    storeTileRow(c30, pc, alpha: alpha, beta: beta); storeTileRow(c31, pc + 16, alpha: alpha, beta: beta); pc += ldc
    storeTileRow(c40, pc, alpha: alpha, beta: beta); storeTileRow(c41, pc + 16, alpha: alpha, beta: beta); pc += ldc
    storeTileRow(c50, pc, alpha: alpha, beta: beta); storeTileRow(c51, pc + 16, alpha: alpha, beta: beta); pc += ldc
    storeTileRow(c60, pc, alpha: alpha, beta: beta); storeTileRow(c61, pc + 16, alpha: alpha, beta: beta); pc += ldc
    storeTileRow(c70, pc, alpha: alpha, beta: beta); storeTileRow(c71, pc + 16, alpha: alpha, beta: beta)
}
