// The SGEMM driver: blocking, packing decisions, edge tiles and threading around the 8×32 micro-kernel.
//
//   for jc in N by NC (1536):                     B block columns
//     for pc in K by KC (768):                    reduction block; blocks after the first accumulate (beta = 1)
//       pack B[pc‥, jc‥] into 32-column panels     (skipped for row-major B when M ≤ 128: read in place)
//       for ic in M by MC (96; 192 when A is transposed):
//         pack A[ic‥, pc‥] into 8-row slivers      (only when A is transposed; row-major A is read in place)
//         for each 8-row sliver, for each 32-column panel: micro-kernel → C tile (ragged: via a scratch tile)
//
// KC = 768 covers the whole reduction for hidden sizes ≤ 768, so C is written once. The A sliver (≤ 24 KiB) stays in
// L1; the B block's panels (768×32×4 B = 96 KiB each) stream past it from L2 (L3 when the block outgrows L2).
// Threads: C is cut into up to 3 slabs per thread along the longer of M (multiples of 8) and N (multiples of 32);
// each slab is a serial product with its own scratch, claimed dynamically from the pool. The operand every slab needs
// whole (B for slabs of rows, A for slabs of columns) is packed once, by all threads, before the slabs run
// (`prepackB`, `prepackATransposed`). One thread runs one serial product. Every element of C sees the same sequence
// of operations whatever the slab layout, so results are bit-identical across thread counts.

@usableFromInline let gemmKC = 768
@usableFromInline let gemmMC = 96
/// With a transposed A (the weight gradient), twice the rows per A block: the block (192 × 768 floats, 590 KB) still
/// fits the 1 MiB L2 beside a B panel, and each B panel, re-read from L3 once per block, serves twice the rows. In one
/// process, alternating with MC 96 call by call (2026-12-03 evening, 1 thread): the four TN shapes of `bench gemm`
/// +0.0 to +3.1 % (medians of 10 pairs) in each of three host states (slow, quiet, with a copy loop on the other
/// core), never below; TN 4096×1536×384 +2.1 to +3.1 % in all three. (Measured on Zen 5 with the earlier loop order,
/// panel outer and sliver inner; not re-measured since the sliver became the outer loop.)
@usableFromInline let gemmMCTransA = 192
/// B block width. 1536 since 2026-12-04 (was 384, and 1536 only when A is transposed, so that A is packed fewer times):
/// with the sliver of A as the outer loop, a wider block lets each sliver, held in L1, serve more panels and reads a
/// row-major A once instead of once per 384 columns. Alternating with NC 384 call by call in one process (Zen 4, 12
/// pairs): NN 4096×384×1152 +6 % (1 thread) / +7 % (2 threads), NT 4096×384×1152 +6 / +9 %, NT 4096×384×1536
/// +5 / +7 %, NN 512×768×768 +3 / +1 %; shapes with N ≤ 384 unchanged.
@usableFromInline let gemmNC = 1536
/// With a transposed A of at most this many rows (M), a packing pass takes all of M (see `sgemmSerial`).
@usableFromInline let gemmPackAllMaxRows = 2048
/// The largest shared operand (in floats, after padding) packed once before the slabs; above it (a vocabulary-sized
/// B, say) each slab packs its own blocks, as a single thread does, rather than hold a second copy that large.
@usableFromInline let gemmPrepackMaxFloats = 8 << 20
/// Products below this many floating-point operations (2·m·n·k) run on one thread.
@usableFromInline let gemmParallelMinFlops = 2_000_000

extension Kernels {
    /// The fast path behind `sgemm`: threads over slabs of C for large products, else one serial product.
    @usableFromInline
    static func sgemmFast(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                          a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                          beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int) {
        guard m > 0, n > 0 else { return }
        let flops = 2 * m * n * k
        let alongM = m >= n || n < 64
        let units = alongM ? (m + 7) / 8 : (n + 31) / 32
        // Up to 3 slabs per thread (of ≥ 64 rows or ≥ 256 columns), claimed dynamically: when the shared host takes a
        // core away for a while, the other thread picks up the remaining slabs instead of waiting.
        // A whole multiple of the thread count, so that no thread is left with one slab more than the others when
        // all run at full speed (3 slabs on 2 threads made NN 512×768×768 run at 2/3 of its 2-thread speed).
        let wanted = Swift.min(threads * 3, units / 8)
        let slabs = wanted >= threads ? wanted / threads * threads : Swift.min(threads, units)
        if threads <= 1 || slabs <= 1 || flops < gemmParallelMinFlops {   // (slabs on one thread would repack)
            sgemmSerial(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                        beta: beta, c: c, ldc: ldc)
            return
        }
        // The operand that every slab uses whole — B when C is cut along M, A when cut along N — is packed once, by all
        // threads, before the slabs run, instead of once per slab (with 4–6 slabs, the TN weight gradient
        // 384×4096×1152 packed its A four times at 2 threads). Measured in one process, alternating call by call
        // with per-slab packing (2026-12-03, 2 threads): +1 to +6 % on TN, NT and NN transformer shapes.
        let floats = alongM ? (n + 31) / 32 * 32 * k : (m + 7) / 8 * 8 * k
        let sharesB = alongM && (transB || (m + slabs - 1) / slabs > 128)   // else each slab reads B in place
        let sharesA = !alongM && transA                                     // a row-major A is read in place
        var packed: ScratchBuffer? = nil
        if (sharesB || sharesA) && floats <= gemmPrepackMaxFloats {
            packed = ScratchCache.shared.take(floats * 4)
            let into = packed!.pointer.bindMemory(to: Float.self, capacity: floats)
            if sharesB {
                prepackB(transB: transB, b: b, ldb: ldb, k: k, n: n, into: into, threads: threads)
            } else {
                prepackATransposed(a: a, lda: lda, m: m, k: k, into: into, threads: threads)
            }
        }
        defer { if let packed { ScratchCache.shared.give(packed) } }
        let prepacked = packed.map {
            UnsafeSendablePointer(UnsafePointer($0.pointer.assumingMemoryBound(to: Float.self)))
        }
        let a0 = UnsafeSendablePointer(a), b0 = UnsafeSendablePointer(b), c0 = UnsafeSendableMutablePointer(c)
        runTasks(count: slabs, threads: threads) { s in
            let u0 = s * units / slabs, u1 = (s + 1) * units / slabs
            if alongM {
                let i0 = u0 * 8, i1 = Swift.min(m, u1 * 8)
                sgemmSerial(transA: transA, transB: transB, m: i1 - i0, n: n, k: k, alpha: alpha,
                            a: transA ? a0.pointer + i0 : a0.pointer + i0 * lda, lda: lda, b: b0.pointer, ldb: ldb,
                            beta: beta, c: c0.pointer + i0 * ldc, ldc: ldc, packedB: prepacked?.pointer)
            } else {
                let j0 = u0 * 32, j1 = Swift.min(n, u1 * 32)
                sgemmSerial(transA: transA, transB: transB, m: m, n: j1 - j0, k: k, alpha: alpha, a: a0.pointer,
                            lda: lda, b: transB ? b0.pointer + j0 * ldb : b0.pointer + j0, ldb: ldb,
                            beta: beta, c: c0.pointer + j0, ldc: ldc, packedA: prepacked?.pointer)
            }
        }
    }

    /// Packs all of op(B) (k × n) into `into` in the layout `sgemmSerial` reads with `packedB`: reduction block pc
    /// (a multiple of KC) at `into + pc·n32`, n32 = n rounded up to 32, holding the block's 32-column panels
    /// (panel q at `q·kc·32` within it, the last one zero-padded). In tasks of 8 panels of one block, on `threads`.
    static func prepackB(transB: Bool, b: UnsafePointer<Float>, ldb: Int, k: Int, n: Int,
                         into: UnsafeMutablePointer<Float>, threads: Int) {
        let panels = (n + 31) / 32, groups = (panels + 7) / 8, blocks = (k + gemmKC - 1) / gemmKC
        let b0 = UnsafeSendablePointer(b), out = UnsafeSendableMutablePointer(into)
        runTasks(count: blocks * groups, threads: threads) { t in
            let pc = (t / groups) * gemmKC, kc = Swift.min(gemmKC, k - pc), q0 = (t % groups) * 8
            let block = out.pointer + pc * panels * 32
            if transB {
                for q in q0..<Swift.min(panels, q0 + 8) {
                    packPanelB(transB: true, b: b0.pointer, ldb: ldb, p0: pc, j0: q * 32, kc: kc,
                               nr: Swift.min(32, n - q * 32), into: block + q * kc * 32)
                }
            } else {
                packBlockB(b: b0.pointer, ldb: ldb, p0: pc, j0: q0 * 32, kc: kc, nc: Swift.min(256, n - q0 * 32),
                           into: block + q0 * kc * 32)
            }
        }
    }

    /// Packs all of a transposed A (op(A) is m × k, A(i, p) = a[p·lda + i]) into `into` in the layout `sgemmSerial`
    /// reads with `packedA`: reduction block pc at `into + pc·m8`, m8 = m rounded up to 8, holding the block's
    /// 8-row slivers (sliver s at `s·kc·8`, the last one zero-padded). In tasks of 16 slivers of one block.
    static func prepackATransposed(a: UnsafePointer<Float>, lda: Int, m: Int, k: Int,
                                   into: UnsafeMutablePointer<Float>, threads: Int) {
        let slivers = (m + 7) / 8, groups = (slivers + 15) / 16, blocks = (k + gemmKC - 1) / gemmKC
        let a0 = UnsafeSendablePointer(a), out = UnsafeSendableMutablePointer(into)
        runTasks(count: blocks * groups, threads: threads) { t in
            let pc = (t / groups) * gemmKC, kc = Swift.min(gemmKC, k - pc), s0 = (t % groups) * 16
            packBlockATransposed(a: a0.pointer, lda: lda, i0: s0 * 8, p0: pc, mc: Swift.min(128, m - s0 * 8), kc: kc,
                                 into: out.pointer + pc * slivers * 8 + s0 * kc * 8)
        }
    }

    /// One product on the calling thread. Takes its packing scratch (sized to the problem) from `ScratchCache`.
    @usableFromInline
    static func sgemmSerial(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                            a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                            beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int,
                            packedA: UnsafePointer<Float>? = nil, packedB: UnsafePointer<Float>? = nil) {
        guard m > 0, n > 0 else { return }
        if k == 0 || alpha == 0 { scaleMatrix(c, ldc: ldc, m: m, n: n, beta: beta); return }
        let kcMax = Swift.min(k, gemmKC)
        let mcBlock = transA ? gemmMCTransA : gemmMC
        let bInPlace = packedB == nil && !transB && m <= 128
        let panelsMax = (Swift.min(n, gemmNC) + 31) / 32
        let bFloats = packedB != nil ? 0 : kcMax * 32 * (bInPlace ? 1 : panelsMax)
        let m8 = (m + 7) / 8 * 8, n32 = (n + 31) / 32 * 32   // row strides of the pre-packed blocks
        // A transposed is packed for all of M at once (up to `gemmPackAllMaxRows` rows): each packing pass then reads
        // whole rows of the row-major [K × M] array, one sequential stream that the prefetcher follows, instead of
        // 96-float pieces at a stride of M floats, which waited on memory (perf: A's packing was 18 % of the kernel
        // time of a TN 384×4096×1152 product; with the 16-row chunks of `packBlockATransposed`, 11 %).
        let packAllA = packedA == nil && transA && m <= gemmPackAllMaxRows
        let aFloats = packedA != nil ? 0 : kcMax * (transA ? ((packAllA ? m : Swift.min(m, mcBlock)) + 7) / 8 * 8 : 8)
        let buffer = ScratchCache.shared.take((bFloats + aFloats + 256) * 4)
        defer { ScratchCache.shared.give(buffer) }
        let scratch = buffer.pointer
        let bPack = scratch.bindMemory(to: Float.self, capacity: bFloats + aFloats + 256)
        let aPack = bPack + bFloats, tile = aPack + aFloats

        var jc = 0
        while jc < n {
            let nc = Swift.min(gemmNC, n - jc)
            let panels = (nc + 31) / 32
            var pc = 0
            while pc < k {
                let kc = Swift.min(gemmKC, k - pc)
                let betaBlock: Float = pc == 0 ? beta : 1
                if packedB != nil {
                    // packed before the slabs ran (`prepackB`)
                } else if bInPlace {
                    if nc % 32 != 0 {   // only the ragged last panel needs a padded copy
                        let q = panels - 1
                        packPanelB(transB: transB, b: b, ldb: ldb, p0: pc, j0: jc + q * 32, kc: kc, nr: nc - q * 32,
                                   into: bPack)
                    }
                } else if !transB {
                    packBlockB(b: b, ldb: ldb, p0: pc, j0: jc, kc: kc, nc: nc, into: bPack)
                } else {
                    for q in 0..<panels {
                        packPanelB(transB: transB, b: b, ldb: ldb, p0: pc, j0: jc + q * 32, kc: kc,
                                   nr: Swift.min(32, nc - q * 32), into: bPack + q * kc * 32)
                    }
                }
                if packAllA {
                    packBlockATransposed(a: a, lda: lda, i0: 0, p0: pc, mc: m, kc: kc, into: aPack)
                }
                var ic = 0
                while ic < m {
                    let mc = Swift.min(mcBlock, m - ic)
                    let slivers = (mc + 7) / 8
                    if transA {
                        // With packAllA (or packedA), packed for all of M: this block's slivers start at sliver ic / 8.
                        if !packAllA && packedA == nil {
                            packBlockATransposed(a: a, lda: lda, i0: ic, p0: pc, mc: mc, kc: kc, into: aPack)
                        }
                    } else if mc % 8 != 0 {   // row-major A is read in place, except a ragged last sliver
                        let s = slivers - 1
                        packSliverA(transA: false, a: a, lda: lda, i0: ic + s * 8, p0: pc, mr: mc - s * 8, kc: kc,
                                    into: aPack)
                    }
                    // Sliver outer, panel inner: the 8-row sliver of A (8 × kc floats, ≤ 24 KiB) stays in L1 while the
                    // block's B panels stream from L2 past it. Measured against panel outer / sliver inner on Zen 4
                    // (32 KiB L1d, where a 768×32 B panel does not fit), alternating call by call in one process
                    // (2026-12-04, 10–16 pairs a shape): 1 thread +0.2 to +5 % on all 12 large shapes of `bench gemm`,
                    // 2 threads +0.6 to +5.6 % (one shape −1.8 %, then +1.7 % re-measured).
                    // Same operations per element.
                    for s in 0..<slivers {
                        let i0 = ic + s * 8, mr = Swift.min(8, mc - s * 8)
                        let sliver: UnsafePointer<Float>, ars: Int, aks: Int
                        if let packedA {
                            sliver = packedA + pc * m8 + (ic / 8 + s) * kc * 8; ars = 1; aks = 8
                        } else if transA {
                            sliver = UnsafePointer(aPack + ((packAllA ? ic / 8 : 0) + s) * kc * 8); ars = 1; aks = 8
                        } else if mr == 8 {
                            sliver = a + i0 * lda + pc; ars = lda; aks = 1
                        } else {
                            sliver = UnsafePointer(aPack); ars = 1; aks = 8
                        }
                        for q in 0..<panels {
                            let j0 = jc + q * 32, nr = Swift.min(32, nc - q * 32)
                            let panel: UnsafePointer<Float>, bks: Int
                            if let packedB {
                                panel = packedB + pc * n32 + j0 * kc; bks = 32
                            } else if bInPlace && nr == 32 {
                                panel = b + pc * ldb + j0; bks = ldb
                            } else {
                                panel = UnsafePointer(bInPlace ? bPack : bPack + q * kc * 32); bks = 32
                            }
                            if mr == 8 && nr == 32 {
                                microKernel8x32(k: kc, a: sliver, ars: ars, aks: aks, b: panel, bks: bks,
                                                c: c + i0 * ldc + j0, ldc: ldc, alpha: alpha, beta: betaBlock)
                            } else {
                                microKernel8x32(k: kc, a: sliver, ars: ars, aks: aks, b: panel, bks: bks,
                                                c: tile, ldc: 32, alpha: alpha, beta: 0)
                                copyTile(tile, to: c + i0 * ldc + j0, ldc: ldc, rows: mr, cols: nr, beta: betaBlock)
                            }
                        }
                    }
                    ic += mc
                }
                pc += kc
            }
            jc += nc
        }
    }
}

/// C[rows×cols] = tile + beta·C (the tile already holds alpha·acc); beta == 0 does not read C. The same fused
/// operation as `storeTileRow`, so edge tiles round exactly like interior ones.
@inline(__always)
func copyTile(_ tile: UnsafeMutablePointer<Float>, to c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, cols: Int,
              beta: Float) {
    for i in 0..<rows {
        let t = tile + i * 32, ci = c + i * ldc
        if beta == 0 {
            for j in 0..<cols { ci[j] = t[j] }
        } else {
            for j in 0..<cols { ci[j] = t[j].addingProduct(beta, ci[j]) }
        }
    }
}

/// C = beta·C (beta == 0 writes zeros without reading C, so NaNs do not propagate).
func scaleMatrix(_ c: UnsafeMutablePointer<Float>, ldc: Int, m: Int, n: Int, beta: Float) {
    for i in 0..<m {
        let ci = c + i * ldc
        if beta == 0 { ci.update(repeating: 0, count: n) } else if beta != 1 { for j in 0..<n { ci[j] *= beta } }
    }
}

/// A raw pointer handed to pool tasks. The pool is fork-join: the pointer outlives every task that uses it, and
/// tasks write disjoint parts of the memory.
@usableFromInline
struct UnsafeSendablePointer: @unchecked Sendable {
    @usableFromInline let pointer: UnsafePointer<Float>
    @usableFromInline init(_ p: UnsafePointer<Float>) { pointer = p }
}

@usableFromInline
struct UnsafeSendableMutablePointer: @unchecked Sendable {
    @usableFromInline let pointer: UnsafeMutablePointer<Float>
    @usableFromInline init(_ p: UnsafeMutablePointer<Float>) { pointer = p }
}
