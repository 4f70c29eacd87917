// The SGEMM driver: blocking, packing decisions, edge tiles and threading around the MR×NR micro-kernel (8×32 with
// AVX-512, 6×16 with 256- or 128-bit vectors; `Kernels.gemmKernel`, GEMMKernelChoice.swift).
//
//   for jc in N by NC (1536):                     B block columns (less where the L3 is under 9 MiB)
//     for pc in K by KC (768):                    reduction block; blocks after the first accumulate (beta = 1)
//       pack B[pc‥, jc‥] into NR-column panels     (skipped for a row-major B when M ≤ 128 and the block fits
//                                                  half the L2: read in place)
//       for ic in M by MC (96; 192 when A is transposed):
//         pack A[ic‥, pc‥] into MR-row slivers     (only when A is transposed and a sliver meets more than two
//                                                  panels, `readsTransposedAInPlace`; else A is read in place)
//         for each MR-row sliver, for each NR-column panel: micro-kernel → C tile (ragged: via a scratch tile)
//
// KC = 768 covers the whole reduction for hidden sizes ≤ 768, so C is written once. The A sliver (≤ 24 KiB) stays in
// L1; the B block's panels stream past it from L2 (L3 when the block outgrows L2).
// Threads: C is cut into up to 3 slabs per thread along the longer of M (multiples of MR) and N (multiples of NR);
// each slab is a serial product with its own scratch, claimed dynamically from the pool. The operand every slab needs
// whole (B for slabs of rows, A for slabs of columns) is packed once, by all threads, before the slabs run
// (`prepackB`, `prepackATransposed`). One thread runs one serial product. Every element of C sees the same sequence
// of operations whatever the slab layout and whichever kernel runs, so results are bit-identical across thread
// counts and kernels.

/// With a transposed A of at most this many rows (M), a packing pass takes all of M (see `sgemmSerial`).
let gemmPackAllMaxRows = 2048
/// The largest shared operand (in floats, after padding) packed once before the slabs; above it (a vocabulary-sized
/// B, say) each slab packs its own blocks, as a single thread does, rather than hold a second copy that large.
let gemmPrepackMaxFloats = 8 << 20
/// Batched small products (attention's heads, `sgemmHeads`) go to the threads in runs of at least this many
/// floating-point operations.
@usableFromInline let gemmHeadsMinChunkFlops = 500_000
/// Products below this many floating-point operations (2·m·n·k) run on one thread (from 1 MFLOP on, a few
/// microseconds of work, two threads finish sooner: attention's 128×128×32 products, one at a time)…
@usableFromInline let gemmParallelMinFlops = 1_000_000
/// …unless they pack at least this many floats of B themselves: packing costs the same whatever M is, so a product
/// of one or a few rows by a weight (the last layer at [CLS], a one-query encoding) is mostly packing, which the
/// threads split by columns.
@usableFromInline let gemmParallelMinPackedFloats = 1 << 16

extension Kernels {
    /// The fast path behind `sgemm`: threads over slabs of C for large products, else one serial product, with the
    /// micro-kernel `kernel`. `packedB`, when given, is all of op(B) already packed for `kernel` in `prepackB`'s
    /// layout (a weight packed once for many products, `PackedWeightCache`); `b` is then not read.
    @usableFromInline
    static func sgemmFast(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                          a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                          beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int, kernel: GemmKernel,
                          packedB: UnsafePointer<Float>? = nil) {
        guard m > 0, n > 0 else { return }
        let mr = kernel.mr, nr = kernel.nr
        let flops = 2 * m * n * k
        let alongM = m >= n || n < 64
        let units = alongM ? (m + mr - 1) / mr : (n + nr - 1) / nr
        // Up to 3 slabs per thread (of ≥ 8 slivers or panels), claimed dynamically: when the shared host takes a
        // core away for a while, the other thread picks up the remaining slabs instead of waiting.
        // A whole multiple of the thread count, so that no thread is left with one slab more than the others when
        // all run at full speed (3 slabs on 2 threads made NN 512×768×768 run at 2/3 of its 2-thread speed).
        let wanted = Swift.min(threads * 3, units / 8)
        let slabs = wanted >= threads ? wanted / threads * threads : Swift.min(threads, units)
        let packsB = packedB == nil && !readsBInPlace(transB: transB, m: m, n: n, k: k)
        let worthThreads = threadsPay(flops: flops, packedFloatsOfB: packsB ? n * k : 0)
        if threads <= 1 || slabs <= 1 || !worthThreads {   // (slabs on one thread would repack)
            sgemmSerial(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                        beta: beta, c: c, ldc: ldc, kernel: kernel, packedB: packedB)
            return
        }
        // The operand that every slab uses whole — B when C is cut along M, A when cut along N — is packed once, by all
        // threads, before the slabs run, instead of once per slab.
        let floats = alongM ? (n + nr - 1) / nr * nr * k : (m + mr - 1) / mr * mr * k
        // (else each slab reads B in place: a row-major B, slabs of ≤ 128 rows and a reduction block within half the L2)
        let sharesB = packedB == nil && alongM && !readsBInPlace(transB: transB, m: (m + slabs - 1) / slabs, n: n, k: k)
        let sharesA = !alongM && transA                                     // a row-major A is read in place
        var packed: ScratchBuffer? = nil
        if (sharesB || sharesA) && floats <= gemmPrepackMaxFloats {
            packed = ScratchCache.shared.take(floats * 4)
            let into = packed!.pointer.bindMemory(to: Float.self, capacity: floats)
            if sharesB {
                prepackB(transB: transB, b: b, ldb: ldb, k: k, n: n, into: into, nr: nr, threads: threads)
            } else {
                prepackATransposed(a: a, lda: lda, m: m, k: k, into: into, mr: mr, threads: threads)
            }
        }
        defer { if let packed { ScratchCache.shared.give(packed) } }
        let prepacked = packed.map {
            UnsafeSendablePointer(UnsafePointer($0.pointer.assumingMemoryBound(to: Float.self)))
        }
        let given = packedB.map(UnsafeSendablePointer.init), givenStride = (n + nr - 1) / nr * nr
        let a0 = UnsafeSendablePointer(a), b0 = UnsafeSendablePointer(b), c0 = UnsafeSendableMutablePointer(c)
        runTasks(count: slabs, threads: threads) { s in
            let u0 = s * units / slabs, u1 = (s + 1) * units / slabs
            if alongM {
                let i0 = u0 * mr, i1 = Swift.min(m, u1 * mr)
                sgemmSerial(transA: transA, transB: transB, m: i1 - i0, n: n, k: k, alpha: alpha,
                            a: transA ? a0.pointer + i0 : a0.pointer + i0 * lda, lda: lda, b: b0.pointer, ldb: ldb,
                            beta: beta, c: c0.pointer + i0 * ldc, ldc: ldc, kernel: kernel,
                            packedB: given?.pointer ?? prepacked?.pointer)
            } else {
                let j0 = u0 * nr, j1 = Swift.min(n, u1 * nr)
                sgemmSerial(transA: transA, transB: transB, m: m, n: j1 - j0, k: k, alpha: alpha, a: a0.pointer,
                            lda: lda, b: transB ? b0.pointer + j0 * ldb : b0.pointer + j0, ldb: ldb,
                            beta: beta, c: c0.pointer + j0, ldc: ldc, kernel: kernel, packedA: prepacked?.pointer,
                            packedB: given?.pointer, packedBColumn0: j0, packedBStride: givenStride)
            }
        }
    }

    /// Whether a product of `flops` floating-point operations that packs `packedFloatsOfB` floats of B itself is
    /// worth splitting over threads (`gemmParallelMinFlops`, `gemmParallelMinPackedFloats`).
    static func threadsPay(flops: Int, packedFloatsOfB: Int) -> Bool {
        flops >= gemmParallelMinFlops || packedFloatsOfB >= gemmParallelMinPackedFloats
    }

    /// Packs all of op(B) (k × n) into `into` in the layout `sgemmSerial` reads with `packedB`: reduction block pc
    /// (a multiple of KC) at `into + pc·nR`, nR = n rounded up to nr, holding the block's nr-column panels
    /// (panel q at `q·kc·nr` within it, the last one zero-padded). In tasks of 256 columns of one block.
    static func prepackB(transB: Bool, b: UnsafePointer<Float>, ldb: Int, k: Int, n: Int,
                         into: UnsafeMutablePointer<Float>, nr: Int, threads: Int) {
        let kcBlock = GemmBlocking.kc, perTask = 256 / nr
        let panels = (n + nr - 1) / nr, groups = (panels + perTask - 1) / perTask
        let blocks = (k + kcBlock - 1) / kcBlock
        let b0 = UnsafeSendablePointer(b), out = UnsafeSendableMutablePointer(into)
        runTasks(count: blocks * groups, threads: threads) { t in
            let pc = (t / groups) * kcBlock, kc = Swift.min(kcBlock, k - pc), q0 = (t % groups) * perTask
            let block = out.pointer + pc * panels * nr
            if transB {
                for q in q0..<Swift.min(panels, q0 + perTask) {
                    packPanelB(transB: true, b: b0.pointer, ldb: ldb, p0: pc, j0: q * nr, kc: kc,
                               cols: Swift.min(nr, n - q * nr), nr: nr, into: block + q * kc * nr)
                }
            } else {
                packBlockB(b: b0.pointer, ldb: ldb, p0: pc, j0: q0 * nr, kc: kc, nc: Swift.min(256, n - q0 * nr),
                           nr: nr, into: block + q0 * kc * nr)
            }
        }
    }

    /// Packs all of a transposed A (op(A) is m × k, A(i, p) = a[p·lda + i]) into `into` in the layout `sgemmSerial`
    /// reads with `packedA`: reduction block pc at `into + pc·mR`, mR = m rounded up to mr, holding the block's
    /// mr-row slivers (sliver s at `s·kc·mr`, the last one zero-padded). In tasks of 16 slivers of one block.
    static func prepackATransposed(a: UnsafePointer<Float>, lda: Int, m: Int, k: Int,
                                   into: UnsafeMutablePointer<Float>, mr: Int, threads: Int) {
        let kcBlock = GemmBlocking.kc
        let slivers = (m + mr - 1) / mr, groups = (slivers + 15) / 16, blocks = (k + kcBlock - 1) / kcBlock
        let a0 = UnsafeSendablePointer(a), out = UnsafeSendableMutablePointer(into)
        runTasks(count: blocks * groups, threads: threads) { t in
            let pc = (t / groups) * kcBlock, kc = Swift.min(kcBlock, k - pc), s0 = (t % groups) * 16
            packBlockATransposed(a: a0.pointer, lda: lda, i0: s0 * mr, p0: pc, mc: Swift.min(16 * mr, m - s0 * mr),
                                 kc: kc, mr: mr, into: out.pointer + pc * slivers * mr + s0 * kc * mr)
        }
    }

    /// Whether a product of `m` rows reads B in place rather than packing it: a row-major B (not transposed), at most
    /// 128 rows of A to stream it for, and a reduction block of it within half the L2 (`inPlaceBMaxFloats`).
    static func readsBInPlace(transB: Bool, m: Int, n: Int, k: Int) -> Bool {
        !transB && m <= 128 && Swift.min(k, GemmBlocking.kc) * n <= gemmBlocking().inPlaceBMaxFloats
    }

    /// One product on the calling thread with `kernel`. Takes its packing scratch (sized to the problem) from
    /// `ScratchCache`. A given `packedB` holds op(B) in `prepackB`'s layout; this product's columns start at its
    /// column `packedBColumn0`, and its reduction blocks lie `packedBStride` floats × KC apart (default: n rounded
    /// up to nr, the layout of a B packed for exactly this product).
    @usableFromInline
    static func sgemmSerial(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                            a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                            beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, kernel: GemmKernel,
                            packedA: UnsafePointer<Float>? = nil, packedB: UnsafePointer<Float>? = nil,
                            packedBColumn0: Int = 0, packedBStride: Int? = nil) {
        guard m > 0, n > 0 else { return }
        if k == 0 || alpha == 0 { scaleMatrix(c, ldc: ldc, m: m, n: n, beta: beta); return }
        let mr = kernel.mr, nr = kernel.nr
        let blocking = gemmBlocking()
        let microKernel = kernel == .tile8x32 ? microKernel8x32 : microKernel6x16
        let kcMax = Swift.min(k, GemmBlocking.kc)
        let mcBlock = transA ? blocking.mcTransA : blocking.mc
        let bInPlace = packedB == nil && readsBInPlace(transB: transB, m: m, n: n, k: k)
        let panelsMax = (Swift.min(n, blocking.nc) + nr - 1) / nr
        let bFloats = packedB != nil ? 0 : kcMax * nr * (bInPlace ? 1 : panelsMax)
        let mR = (m + mr - 1) / mr * mr   // row strides of the pre-packed blocks
        let nR = packedBStride ?? (n + nr - 1) / nr * nr
        // A transposed is packed for all of M at once (up to `gemmPackAllMaxRows` rows): each packing pass then reads
        // whole rows of the row-major [K × M] array, one sequential stream that the prefetcher follows, instead of
        // MC-float pieces at a stride of M floats, which wait on memory.
        let aInPlaceT = packedA == nil && transA && readsTransposedAInPlace(panels: panelsMax, lda: lda)
        let packAllA = packedA == nil && transA && !aInPlaceT && m <= gemmPackAllMaxRows
        let aFloats = packedA != nil ? 0
            : kcMax * (transA && !aInPlaceT ? ((packAllA ? m : Swift.min(m, mcBlock)) + mr - 1) / mr * mr : mr)
        let tileFloats = mr * nr
        let buffer = ScratchCache.shared.take((bFloats + aFloats + tileFloats) * 4)
        defer { ScratchCache.shared.give(buffer) }
        let scratch = buffer.pointer
        let bPack = scratch.bindMemory(to: Float.self, capacity: bFloats + aFloats + tileFloats)
        let aPack = bPack + bFloats, tile = aPack + aFloats

        var jc = 0
        while jc < n {
            let nc = Swift.min(blocking.nc, n - jc)
            let panels = (nc + nr - 1) / nr
            var pc = 0
            while pc < k {
                let kc = Swift.min(GemmBlocking.kc, k - pc)
                let betaBlock: Float = pc == 0 ? beta : 1
                if packedB != nil {
                    // packed before the slabs ran (`prepackB`)
                } else if bInPlace {
                    if nc % nr != 0 {   // only the ragged last panel needs a padded copy
                        let q = panels - 1
                        packPanelB(transB: transB, b: b, ldb: ldb, p0: pc, j0: jc + q * nr, kc: kc, cols: nc - q * nr,
                                   nr: nr, into: bPack)
                    }
                } else if !transB {
                    packBlockB(b: b, ldb: ldb, p0: pc, j0: jc, kc: kc, nc: nc, nr: nr, into: bPack)
                } else {
                    for q in 0..<panels {
                        packPanelB(transB: transB, b: b, ldb: ldb, p0: pc, j0: jc + q * nr, kc: kc,
                                   cols: Swift.min(nr, nc - q * nr), nr: nr, into: bPack + q * kc * nr)
                    }
                }
                if packAllA {
                    packBlockATransposed(a: a, lda: lda, i0: 0, p0: pc, mc: m, kc: kc, mr: mr, into: aPack)
                }
                var ic = 0
                while ic < m {
                    let mc = Swift.min(mcBlock, m - ic)
                    let slivers = (mc + mr - 1) / mr
                    if aInPlaceT {
                        // read in place below
                    } else if transA {
                        // With packAllA (or packedA), packed for all of M: this block's slivers start at sliver ic / mr.
                        if !packAllA && packedA == nil {
                            packBlockATransposed(a: a, lda: lda, i0: ic, p0: pc, mc: mc, kc: kc, mr: mr, into: aPack)
                        }
                    } else if mc % mr != 0 {   // row-major A is read in place, except a ragged last sliver
                        let s = slivers - 1
                        packSliverA(transA: false, a: a, lda: lda, i0: ic + s * mr, p0: pc, rows: mc - s * mr, kc: kc,
                                    mr: mr, into: aPack)
                    }
                    // Sliver outer, panel inner: the sliver of A (mr × kc floats, ≤ 24 KiB) stays in L1 while the
                    // block's B panels stream from L2 past it. Same operations per element either way.
                    for s in 0..<slivers {
                        let i0 = ic + s * mr, rows = Swift.min(mr, mc - s * mr)
                        let sliver: UnsafePointer<Float>, ars: Int, aks: Int
                        if let packedA {
                            sliver = packedA + pc * mR + (ic / mr + s) * kc * mr; ars = 1; aks = mr
                        } else if aInPlaceT {
                            if rows == mr {
                                sliver = a + pc * lda + i0; ars = 1; aks = lda
                            } else {
                                packSliverA(transA: true, a: a, lda: lda, i0: i0, p0: pc, rows: rows, kc: kc, mr: mr,
                                            into: aPack)
                                sliver = UnsafePointer(aPack); ars = 1; aks = mr
                            }
                        } else if transA {
                            sliver = UnsafePointer(aPack + ((packAllA ? ic / mr : 0) + s) * kc * mr); ars = 1; aks = mr
                        } else if rows == mr {
                            sliver = a + i0 * lda + pc; ars = lda; aks = 1
                        } else {
                            sliver = UnsafePointer(aPack); ars = 1; aks = mr
                        }
                        for q in 0..<panels {
                            let j0 = jc + q * nr, cols = Swift.min(nr, nc - q * nr)
                            let panel: UnsafePointer<Float>, bks: Int
                            if let packedB {
                                panel = packedB + pc * nR + (packedBColumn0 + j0) * kc; bks = nr
                            } else if bInPlace && cols == nr {
                                panel = b + pc * ldb + j0; bks = ldb
                            } else {
                                panel = UnsafePointer(bInPlace ? bPack : bPack + q * kc * nr); bks = nr
                            }
                            if rows == mr && cols == nr {
                                microKernel(kc, sliver, ars, aks, panel, bks, c + i0 * ldc + j0, ldc, alpha, betaBlock)
                            } else {
                                microKernel(kc, sliver, ars, aks, panel, bks, tile, nr, alpha, 0)
                                copyTile(tile, ldt: nr, to: c + i0 * ldc + j0, ldc: ldc, rows: rows, cols: cols,
                                         beta: betaBlock)
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

/// Whether a product with a transposed A reads its slivers in place (A(i, p) = a[p·lda + i]: mr consecutive floats
/// per k step, lda apart) instead of packing them, given how many B panels each sliver meets. Packing copies all of A
/// to be read once per panel: with one panel the copy is pure cost (attention's dV = Pᵀ·dO and dK = dSᵀ·Q with a
/// head of 32 and the 8×32 kernel); with two the second pass finds the sliver's rows in L1 — unless the row stride
/// is a multiple of 4 KiB, where every row maps to the same L1 set and the sliver is gone before the second panel.
@inline(__always)
func readsTransposedAInPlace(panels: Int, lda: Int) -> Bool {
    panels == 1 || (panels == 2 && (lda * 4) % 4096 != 0)
}

/// C[rows×cols] = tile + beta·C (the tile already holds alpha·acc); beta == 0 does not read C. The same fused
/// operation as `storeTileRow`, so edge tiles round exactly like interior ones.
@inline(__always)
func copyTile(_ tile: UnsafeMutablePointer<Float>, ldt: Int, to c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int,
              cols: Int, beta: Float) {
    for i in 0..<rows {
        let t = tile + i * ldt, ci = c + i * ldc
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
