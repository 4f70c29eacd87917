// Packing for the SGEMM driver: copies of B blocks into 32-column panels and of A blocks into 8-row slivers, laid
// out so that the micro-kernel reads them with unit stride (Docs/Tensors.md, "Packing").
//
//   B panel  [kc × 32]: panel[p·32 + j] = op(B)(p0 + p, j0 + j), columns ≥ nr are zero.
//   A sliver [kc × 8]:  sliver[p·8 + i] = op(A)(i0 + i, p0 + p), rows ≥ mr are zero.
//
// Zero padding makes a ragged edge tile an ordinary 8×32 product whose extra rows/columns are simply not copied out.
// Bᵀ is packed with an in-register 16×16 transpose (full blocks) and scalar gathers for the ragged rest.

/// Packs the kc×nc block of a row-major B (B(p, j) = b[p·ldb + j]) starting at (p0, j0) into ⌈nc/32⌉ panels of
/// kc×32 (panel q at `into + q·kc·32`), 8 rows of B at a time: each chunk's rows are read once while every panel
/// receives 8 consecutive rows (1 KiB contiguous). Panel by panel instead, each row of B is visited once per panel
/// (reads of 128 bytes at a stride of ldb floats, which wait on memory for a B larger than the caches). The ragged
/// last panel goes through `packPanelB`.
@inline(__always)
func packBlockB(b: UnsafePointer<Float>, ldb: Int, p0: Int, j0: Int, kc: Int, nc: Int,
                into pack: UnsafeMutablePointer<Float>) {
    let full = nc / 32
    packPieces(b + p0 * ldb + j0, ld: ldb, width: 32, pieces: full, kc: kc, chunk: 8, into: pack)
    if nc > full * 32 {
        packPanelB(transB: false, b: b, ldb: ldb, p0: p0, j0: j0 + full * 32, kc: kc, nr: nc - full * 32,
                   into: pack + full * kc * 32)
    }
}

/// The chunked copy behind `packBlockB` and `packBlockATransposed`: `pieces` runs of `width` (8 or 32) floats, side by
/// side in each row of a row-major array (row stride `ld`), go to `pieces` packed blocks of kc×width (block q at
/// `into + q·kc·width`), `chunk` rows at a time, so that each block receives `chunk` consecutive rows in one run.
@inline(__always)
func packPieces(_ src: UnsafePointer<Float>, ld: Int, width: Int, pieces: Int, kc: Int, chunk: Int,
                into pack: UnsafeMutablePointer<Float>) {
    var pc = 0
    while pc < kc {
        let rows = min(chunk, kc - pc)
        for q in 0..<pieces {
            var from = src + pc * ld + q * width, to = pack + (q * kc + pc) * width
            for _ in 0..<rows {
                if width == 32 {
                    storeVector(loadVector(from), to)
                    storeVector(loadVector(from + 16), to + 16)
                } else {
                    UnsafeMutableRawPointer(to).storeBytes(
                        of: UnsafeRawPointer(from).loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
                }
                from += ld; to += width
            }
        }
        pc += rows
    }
}

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
        // Row j of the stored B holds column j of op(B). Full 16×16 blocks are transposed in registers; the rest
        // (ragged k, ragged columns) is gathered with scalar copies.
        var p = 0
        if nr == 32 {
            while p + 16 <= kc {
                transpose16x16(b + j0 * ldb + p0 + p, ldb: ldb, into: panel + p * 32)
                transpose16x16(b + (j0 + 16) * ldb + p0 + p, ldb: ldb, into: panel + p * 32 + 16)
                p += 16
            }
        }
        let pStart = p
        for j in 0..<nr {
            let src = b + (j0 + j) * ldb + p0
            var dst = panel + pStart * 32 + j
            for p in pStart..<kc { dst.pointee = src[p]; dst += 32 }
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

/// Reads 16 rows × 16 floats at `src` (row stride `ldb`) and writes them transposed: row t of the output (16 floats
/// at `dst + t·32`) holds column t of the input. Four rounds of even/odd unzips of row pairs: each round rotates the
/// 8-bit (row, lane) index of every element right by one bit, so four rounds swap row and lane.
@inline(__always)
func transpose16x16(_ src: UnsafePointer<Float>, ldb: Int, into dst: UnsafeMutablePointer<Float>) {
    var v = InlineArray<16, SIMD16<Float>>(repeating: SIMD16<Float>())
    for i in 0..<16 { v[i] = loadVector(src + i * ldb) }
    for _ in 0..<4 {
        var w = v
        for i in 0..<8 {
            let pair = SIMD32<Float>(lowHalf: v[2 * i], highHalf: v[2 * i + 1])
            w[i] = pair.evenHalf
            w[8 + i] = pair.oddHalf
        }
        v = w
    }
    for t in 0..<16 { storeVector(v[t], dst + t * 32) }
}

/// Packs the mc×kc block of a transposed A (A(i, p) = a[p·lda + i]) starting at (i0, p0) into ⌈mc/8⌉ slivers of
/// kc×8 (sliver s at `into + s·kc·8`, rows ≥ mc zero), 16 rows of the stored A at a time (see the body; measured
/// 2026-12-03 with `bench gemm --threads 1`: TN 384×4096×1152 192 → 205 GFLOP/s, TN 1536×4096×384 189 → 206).
@inline(__always)
func packBlockATransposed(a: UnsafePointer<Float>, lda: Int, i0: Int, p0: Int, mc: Int, kc: Int,
                          into pack: UnsafeMutablePointer<Float>) {
    // In chunks of 16 rows of A: the chunk's rows (≤ 16 × mc floats) stay in L1 while each sliver receives its 16
    // consecutive 8-float rows (512 contiguous bytes). Writing one 32-byte piece to every sliver per row of A instead
    // puts mc/8 store streams kc·32 bytes apart — a multiple of 4 KiB, so they all land in the same L1 sets.
    let fullSlivers = mc / 8, rest = mc - fullSlivers * 8
    packPieces(a + p0 * lda + i0, ld: lda, width: 8, pieces: fullSlivers, kc: kc, chunk: 16, into: pack)
    if rest > 0 {
        packSliverA(transA: true, a: a, lda: lda, i0: i0 + fullSlivers * 8, p0: p0, mr: rest, kc: kc,
                    into: pack + fullSlivers * kc * 8)
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
