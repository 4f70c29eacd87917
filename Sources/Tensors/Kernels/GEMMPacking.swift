// Packing for the SGEMM driver: copies of B blocks into 32-column panels and of A blocks into 8-row slivers, laid
// out so that the micro-kernel reads them with unit stride (Docs/Tensors.md, "Packing").
//
//   B panel  [kc × 32]: panel[p·32 + j] = op(B)(p0 + p, j0 + j), columns ≥ nr are zero.
//   A sliver [kc × 8]:  sliver[p·8 + i] = op(A)(i0 + i, p0 + p), rows ≥ mr are zero.
//
// Zero padding makes a ragged edge tile an ordinary 8×32 product whose extra rows/columns are simply not copied out.
// Leaves out: an in-register 16×16 transpose for Bᵀ (the scalar gather below is the simple first version).

/// Packs the kc×nr block of op(B) starting at (p0, j0) into one 32-column panel.
/// `transB == false`: B(p, j) = b[p·ldb + j]; `transB == true`: B(p, j) = b[j·ldb + p].
@inline(__always)
func packPanelB(transB: Bool, b: UnsafePointer<Float>, ldb: Int, p0: Int, j0: Int, kc: Int, nr: Int,
                into panel: UnsafeMutablePointer<Float>) {
    if !transB {
        var src = b + p0 * ldb + j0, dst = panel
        if nr == 32 {
            for _ in 0..<kc {
                storeVector(loadVector(src), dst)
                storeVector(loadVector(src + 16), dst + 16)
                src += ldb; dst += 32
            }
        } else {
            for _ in 0..<kc {
                for j in 0..<nr { dst[j] = src[j] }
                for j in nr..<32 { dst[j] = 0 }
                src += ldb; dst += 32
            }
        }
    } else {
        // Row j of the stored B holds column j of op(B): read it contiguously, write with stride 32.
        for j in 0..<nr {
            let src = b + (j0 + j) * ldb + p0
            var dst = panel + j
            for p in 0..<kc { dst.pointee = src[p]; dst += 32 }
        }
        if nr < 32 {
            var dst = panel
            for _ in 0..<kc {
                for j in nr..<32 { dst[j] = 0 }
                dst += 32
            }
        }
    }
}

/// Packs the mr×kc block of op(A) starting at (i0, p0) into one 8-row sliver.
/// `transA == false`: A(i, p) = a[i·lda + p]; `transA == true`: A(i, p) = a[p·lda + i].
@inline(__always)
func packSliverA(transA: Bool, a: UnsafePointer<Float>, lda: Int, i0: Int, p0: Int, mr: Int, kc: Int,
                 into sliver: UnsafeMutablePointer<Float>) {
    if transA {
        var src = a + p0 * lda + i0, dst = sliver
        if mr == 8 {
            for _ in 0..<kc {
                UnsafeMutableRawPointer(dst).storeBytes(of: UnsafeRawPointer(src).loadUnaligned(as: SIMD8<Float>.self),
                                                        as: SIMD8<Float>.self)
                src += lda; dst += 8
            }
        } else {
            for _ in 0..<kc {
                for i in 0..<mr { dst[i] = src[i] }
                for i in mr..<8 { dst[i] = 0 }
                src += lda; dst += 8
            }
        }
    } else {
        for i in 0..<8 {
            var dst = sliver + i
            if i < mr {
                let src = a + (i0 + i) * lda + p0
                for p in 0..<kc { dst.pointee = src[p]; dst += 8 }
            } else {
                for _ in 0..<kc { dst.pointee = 0; dst += 8 }
            }
        }
    }
}
