// Packing for the SGEMM driver: copies of B blocks into NR-column panels and of A blocks into MR-row slivers, laid
// out so that the micro-kernel reads them with unit stride (Docs/Tensors.md, "Packing"). NR × MR is the kernel's
// tile: 32 × 8 or 16 × 6 (GEMMKernelChoice.swift).
//
//   B panel  [kc × NR]: panel[p·NR + j] = op(B)(p0 + p, j0 + j), columns ≥ the panel's width in B are zero.
//   A sliver [kc × MR]: sliver[p·MR + i] = op(A)(i0 + i, p0 + p), rows ≥ the sliver's height in A are zero.
//
// Zero padding makes a ragged edge tile an ordinary MR×NR product whose extra rows/columns are simply not copied out.
// Bᵀ is packed with an in-register 16×16 transpose (full blocks) and scalar gathers for the ragged rest.

/// Packs the kc×nc block of a row-major B (B(p, j) = b[p·ldb + j]) starting at (p0, j0) into ⌈nc/NR⌉ panels of
/// kc×NR (panel q at `into + q·kc·NR`), 8 rows of B at a time: each chunk's rows are read once while every panel
/// receives 8 consecutive rows (1 KiB contiguous for NR 32). Panel by panel instead, each row of B is visited once
/// per panel (short reads at a stride of ldb floats, which wait on memory for a B larger than the caches). The ragged
/// last panel goes through `packPanelB`.
@inline(__always)
func packBlockB(b: UnsafePointer<Float>, ldb: Int, p0: Int, j0: Int, kc: Int, nc: Int, nr: Int,
                into pack: UnsafeMutablePointer<Float>) {
    let full = nc / nr
    packPieces(b + p0 * ldb + j0, ld: ldb, width: nr, pieces: full, kc: kc, chunk: 8, into: pack)
    if nc > full * nr {
        packPanelB(transB: false, b: b, ldb: ldb, p0: p0, j0: j0 + full * nr, kc: kc, cols: nc - full * nr,
                   nr: nr, into: pack + full * kc * nr)
    }
}

/// The chunked copy behind `packBlockB` and `packBlockATransposed`: `pieces` runs of `width` (6, 8, 16 or 32) floats, side by
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
                switch width {
                case 32:
                    storeVector(loadVector(from), to)
                    storeVector(loadVector(from + 16), to + 16)
                case 16:
                    storeVector(loadVector(from), to)
                case 8:
                    storeVector8(loadVector8(from), to)
                case 6:
                    UnsafeMutableRawPointer(to).storeBytes(of: UnsafeRawPointer(from).loadUnaligned(as: SIMD4<Float>.self),
                                                           as: SIMD4<Float>.self)
                    UnsafeMutableRawPointer(to + 4).storeBytes(
                        of: UnsafeRawPointer(from + 4).loadUnaligned(as: SIMD2<Float>.self), as: SIMD2<Float>.self)
                default:
                    for j in 0..<width { to[j] = from[j] }
                }
                from += ld; to += width
            }
        }
        pc += rows
    }
}

/// Packs the kc×cols block of op(B) starting at (p0, j0) into one nr-column panel (nr = 16 or 32, cols ≤ nr).
/// `transB == false`: B(p, j) = b[p·ldb + j]; `transB == true`: B(p, j) = b[j·ldb + p].
@inline(__always)
func packPanelB(transB: Bool, b: UnsafePointer<Float>, ldb: Int, p0: Int, j0: Int, kc: Int, cols: Int, nr: Int,
                into panel: UnsafeMutablePointer<Float>) {
    if !transB {
        if cols == nr {
            packPieces(b + p0 * ldb + j0, ld: ldb, width: nr, pieces: 1, kc: kc, chunk: kc, into: panel)
        } else {
            var src = b + p0 * ldb + j0, dst = panel
            for _ in 0..<kc {
                for j in 0..<cols { dst[j] = src[j] }
                for j in cols..<nr { dst[j] = 0 }
                src += ldb; dst += nr
            }
        }
    } else {
        // Row j of the stored B holds column j of op(B). Full 16×16 blocks are transposed in registers; the rest
        // (ragged k, ragged columns) is gathered with scalar copies.
        var p = 0
        if cols == nr {
            while p + 16 <= kc {
                var j = 0
                while j < nr {
                    transpose16x16(b + (j0 + j) * ldb + p0 + p, ldb: ldb, into: panel + p * nr + j, ldd: nr)
                    j += 16
                }
                p += 16
            }
        }
        let pStart = p
        for j in 0..<cols {
            let src = b + (j0 + j) * ldb + p0
            var dst = panel + pStart * nr + j
            for p in pStart..<kc { dst.pointee = src[p]; dst += nr }
        }
        if cols < nr {
            var dst = panel
            for _ in 0..<kc {
                for j in cols..<nr { dst[j] = 0 }
                dst += nr
            }
        }
    }
}

/// Reads 16 rows × 16 floats at `src` (row stride `ldb`) and writes them transposed: row t of the output (16 floats
/// at `dst + t·ldd`) holds column t of the input. Four rounds of even/odd unzips of row pairs: each round rotates the
/// 8-bit (row, lane) index of every element right by one bit, so four rounds swap row and lane.
@inline(__always)
func transpose16x16(_ src: UnsafePointer<Float>, ldb: Int, into dst: UnsafeMutablePointer<Float>, ldd: Int) {
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
    for t in 0..<16 { storeVector(v[t], dst + t * ldd) }
}

/// Packs the mc×kc block of a transposed A (A(i, p) = a[p·lda + i]) starting at (i0, p0) into ⌈mc/mr⌉ slivers of
/// kc×mr (sliver s at `into + s·kc·mr`, rows ≥ mc zero), 16 rows of the stored A at a time (see the body).
@inline(__always)
func packBlockATransposed(a: UnsafePointer<Float>, lda: Int, i0: Int, p0: Int, mc: Int, kc: Int, mr: Int,
                          into pack: UnsafeMutablePointer<Float>) {
    // In chunks of 16 rows of A: the chunk's rows (≤ 16 × mc floats) stay in L1 while each sliver receives its 16
    // consecutive mr-float rows (512 contiguous bytes for mr 8). Writing one piece to every sliver per row of A
    // instead puts mc/mr store streams kc·mr·4 bytes apart — for mr 8 a multiple of 4 KiB, so they all land in the
    // same L1 sets.
    let fullSlivers = mc / mr, rest = mc - fullSlivers * mr
    packPieces(a + p0 * lda + i0, ld: lda, width: mr, pieces: fullSlivers, kc: kc, chunk: 16, into: pack)
    if rest > 0 {
        packSliverA(transA: true, a: a, lda: lda, i0: i0 + fullSlivers * mr, p0: p0, rows: rest, kc: kc, mr: mr,
                    into: pack + fullSlivers * kc * mr)
    }
}

/// Packs the rows×kc block of op(A) starting at (i0, p0) into one mr-row sliver (rows ≤ mr; the rest zero).
/// `transA == false`: A(i, p) = a[i·lda + p]; `transA == true`: A(i, p) = a[p·lda + i].
@inline(__always)
func packSliverA(transA: Bool, a: UnsafePointer<Float>, lda: Int, i0: Int, p0: Int, rows: Int, kc: Int, mr: Int,
                 into sliver: UnsafeMutablePointer<Float>) {
    if transA {
        var src = a + p0 * lda + i0, dst = sliver
        for _ in 0..<kc {
            for i in 0..<rows { dst[i] = src[i] }
            for i in rows..<mr { dst[i] = 0 }
            src += lda; dst += mr
        }
    } else {
        for i in 0..<mr {
            var dst = sliver + i
            if i < rows {
                let src = a + (i0 + i) * lda + p0
                for p in 0..<kc { dst.pointee = src[p]; dst += mr }
            } else {
                for _ in 0..<kc { dst.pointee = 0; dst += mr }
            }
        }
    }
}
