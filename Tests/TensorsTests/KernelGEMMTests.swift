// Tests of the fast SGEMM (Kernels.sgemm, sgemmBatched) against the Double-accumulating reference: random shapes
// with ragged M/N/K, all four transposes, alpha/beta, row strides wider than the rows, one and several threads, and
// every micro-kernel (8×32, 6×16: whichever this host prefers, the others run too, and all give the same bits).
// Tolerance: |fast − ref| ≤ 4·K·ε·Σ_p|a·b| + tiny (the standard forward error bound of a float dot product, with
// headroom), computed per element.

import Foundation
import Testing
import PropertyTesting
@testable import Tensors

/// One random GEMM problem.
struct GemmCase: CustomStringConvertible {
    var transA: Bool, transB: Bool
    var m: Int, n: Int, k: Int
    var padA: Int, padB: Int, padC: Int
    var alpha: Float, beta: Float
    var seed: UInt64
    var description: String {
        "\(transA ? "T" : "N")\(transB ? "T" : "N") m\(m) n\(n) k\(k) pad(\(padA),\(padB),\(padC)) α\(alpha) β\(beta)"
    }
}

/// Shapes up to `maxDim`, biased to sizes around the tile edges (8×32 and 6×16).
func gemmCases(maxM: Int, maxN: Int, maxK: Int) -> Gen<GemmCase> {
    Gen(generate: { rng in
        func dim(_ hi: Int) -> Int {
            // Half the time near a multiple of 8 or 32 (tile edges), else uniform.
            if rng.nextInt(below: 2) == 0 {
                let base = [6, 8, 12, 16, 32, 64, 96, 128][rng.nextInt(below: 8)]
                return Swift.max(1, Swift.min(hi, base + rng.nextInt(below: 3) - 1))
            }
            return 1 + rng.nextInt(below: hi)
        }
        let alphas: [Float] = [1, -0.5, 2]
        let betas: [Float] = [0, 1, 0.25]
        return GemmCase(transA: rng.nextInt(below: 2) == 1, transB: rng.nextInt(below: 2) == 1,
                        m: dim(maxM), n: dim(maxN), k: dim(maxK),
                        padA: rng.nextInt(below: 2) * rng.nextInt(below: 5), padB: rng.nextInt(below: 2) * 3,
                        padC: rng.nextInt(below: 2) * 7,
                        alpha: alphas[rng.nextInt(below: 3)], beta: betas[rng.nextInt(below: 3)], seed: rng.next())
    }, shrink: { c in
        var out: [GemmCase] = []
        for (kp, v) in [(\GemmCase.m, c.m), (\GemmCase.n, c.n), (\GemmCase.k, c.k)] where v > 1 {
            var d = c; d[keyPath: kp] = v / 2; out.append(d)
            d = c; d[keyPath: kp] = v - 1; out.append(d)
        }
        return out
    })
}

/// Runs the case through the fast kernel (with `threads` and `kernel`) and the reference; returns a failure message
/// or nil.
func checkGemm(_ g: GemmCase, threads: Int, kernel: GemmKernel = .preferred()) -> String? {
    var rng = Xoshiro256(seed: g.seed)
    let (ar, ac) = g.transA ? (g.k, g.m) : (g.m, g.k)
    let (br, bc) = g.transB ? (g.n, g.k) : (g.k, g.n)
    let lda = ac + g.padA, ldb = bc + g.padB, ldc = g.n + g.padC
    let a = (0..<(ar * lda)).map { _ in rng.nextFloat() * 2 - 1 }
    let b = (0..<(br * ldb)).map { _ in rng.nextFloat() * 2 - 1 }
    let c0 = (0..<(g.m * ldc)).map { _ in rng.nextFloat() * 2 - 1 }
    var fast = c0, ref = c0
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            fast.withUnsafeMutableBufferPointer { pc in
                Kernels.sgemmFast(transA: g.transA, transB: g.transB, m: g.m, n: g.n, k: g.k, alpha: g.alpha,
                                  a: pa.baseAddress!, lda: lda, b: pb.baseAddress!, ldb: ldb, beta: g.beta,
                                  c: pc.baseAddress!, ldc: ldc, threads: threads, kernel: kernel)
            }
            ref.withUnsafeMutableBufferPointer { pc in
                Kernels.sgemmReference(transA: g.transA, transB: g.transB, m: g.m, n: g.n, k: g.k, alpha: g.alpha,
                                       a: pa.baseAddress!, lda: lda, b: pb.baseAddress!, ldb: ldb, beta: g.beta,
                                       c: pc.baseAddress!, ldc: ldc)
            }
        }
    }
    let eps = Double(Float.ulpOfOne)
    for i in 0..<g.m {
        for j in 0..<ldc {
            let idx = i * ldc + j
            if j >= g.n {   // padding columns of C must be untouched
                if fast[idx] != c0[idx] { return "\(g): wrote padding C[\(i)][\(j)]" }
                continue
            }
            // Σ|a·b| ≤ k for entries in [-1, 1]; scale by |alpha| and add the beta·C rounding.
            let bound = 4 * Double(g.k) * eps * Double(abs(g.alpha)) + 4 * eps * (1 + Double(abs(g.beta)))
            let d = abs(Double(fast[idx]) - Double(ref[idx]))
            if !(d <= bound) { return "\(g): C[\(i)][\(j)] fast \(fast[idx]) ref \(ref[idx]) diff \(d) > \(bound)" }
        }
    }
    return nil
}

/// C from the fast kernel on the case's operands (entries in [−0.5, 0.5), C's padding initialised to 1). With
/// `prepacked`, op(B) is packed beforehand (`prepackB`) and the product reads only that copy.
func fastOutput(_ g: GemmCase, threads: Int, kernel: GemmKernel = .preferred(), prepacked: Bool = false) -> [Float] {
    var rng = Xoshiro256(seed: g.seed)
    let (ar, ac) = g.transA ? (g.k, g.m) : (g.m, g.k)
    let (br, bc) = g.transB ? (g.n, g.k) : (g.k, g.n)
    let a = (0..<(ar * (ac + g.padA))).map { _ in rng.nextFloat() - 0.5 }
    var b = (0..<(br * (bc + g.padB))).map { _ in rng.nextFloat() - 0.5 }
    var out = [Float](repeating: 1, count: g.m * (g.n + g.padC))
    var packed = [Float](repeating: .nan, count: prepacked ? (g.n + kernel.nr - 1) / kernel.nr * kernel.nr * g.k : 0)
    if prepacked {
        packed.withUnsafeMutableBufferPointer { p in
            Kernels.prepackB(transB: g.transB, b: b, ldb: bc + g.padB, k: g.k, n: g.n, into: p.baseAddress!,
                             nr: kernel.nr, threads: threads)
        }
        for i in b.indices { b[i] = .nan }   // the product must not read B itself
    }
    packed.withUnsafeBufferPointer { p in
        Kernels.sgemmFast(transA: g.transA, transB: g.transB, m: g.m, n: g.n, k: g.k, alpha: g.alpha,
                          a: a, lda: ac + g.padA, b: b, ldb: bc + g.padB, beta: g.beta,
                          c: &out, ldc: g.n + g.padC, threads: threads, kernel: kernel,
                          packedB: prepacked ? p.baseAddress! : nil)
    }
    return out
}

@Suite struct KernelGEMMTests {
    @Test(arguments: GemmKernel.allCases)
    func smallRaggedShapesAllTransposesSingleThread(kernel: GemmKernel) {
        propertyCheck(gemmCases(maxM: 40, maxN: 70, maxK: 40), cases: 300) { g in
            if let msg = checkGemm(g, threads: 1, kernel: kernel) { throw PropertyFailure("\(kernel): \(msg)") }
        }
    }

    @Test(arguments: GemmKernel.allCases)
    func largerShapesCrossBlockEdgesThreaded(kernel: GemmKernel) {
        // Sizes crossing MC = 96 and KC = 768, and above the 1 MFLOP threading threshold (NC = 1536: the case below).
        propertyCheck(gemmCases(maxM: 200, maxN: 420, maxK: 800), cases: 12) { g in
            if let msg = checkGemm(g, threads: 3, kernel: kernel) { throw PropertyFailure("\(kernel): \(msg)") }
        }
    }

    @Test func kernelsGiveBitIdenticalResults() {
        // Every kernel adds each element's products in the same order with one FMA each, over the same KC blocks:
        // the 8×32 and 6×16 kernels must agree to the bit (so an AVX2 host reproduces an AVX-512 host's numbers),
        // on ragged shapes with two reduction blocks, all transposes, alpha/beta, one and two threads.
        propertyCheck(gemmCases(maxM: 60, maxN: 90, maxK: 900), cases: 40) { g in
            let outs = GemmKernel.allCases.flatMap { kernel in [1, 2].map { fastOutput(g, threads: $0, kernel: kernel) } }
            if outs.contains(where: { $0 != outs[0] }) { throw PropertyFailure("\(g): kernels or threads differ in bits") }
        }
    }

    @Test func kernelChoiceFollowsTheCPU() {
        let avx512 = CPUInfo(model: "x", vectorISA: "AVX-512", hasAVX512: true, l1d: nil, l2: nil, l3: nil)
        let avx2 = CPUInfo(model: "x", vectorISA: "AVX2", hasAVX512: false, l1d: 32 << 10, l2: 512 << 10, l3: 16 << 20)
        #expect(GemmKernel.preferred(for: avx512) == .tile8x32)
        #expect(GemmKernel.preferred(for: avx2) == .tile6x16)
        #expect(GemmKernel.preferred() == GemmKernel.preferred(for: .host))
        #expect(CPUInfo.host.hasAVX512 == (CPUInfo.host.vectorISA == "AVX-512"))
        for kernel in GemmKernel.allCases {   // register budget: accumulators + the B vectors of one k step + A
            let vectorBytes = kernel == .tile8x32 ? 64 : 32
            let accumulators = kernel.mr * kernel.nr * 4 / vectorBytes
            #expect(accumulators + kernel.nr * 4 / vectorBytes + 1 <= (kernel == .tile8x32 ? 32 : 16))
            #expect(GemmKernel(rawValue: kernel.rawValue) == kernel)
        }
        #expect(avx2.summary == "x (AVX2; L1d 32 KiB; L2 512 KiB; L3 16 MiB)")
        #expect(parseCacheSize("32K\n") == 32 << 10 && parseCacheSize("16384K") == 16 << 20)
        #expect(parseCacheSize("1M") == 1 << 20 && parseCacheSize("512") == 512)
        #expect(parseCacheSize("") == nil && parseCacheSize("K") == nil && parseCacheSize("x2K") == nil)
        // NC: the 768×NC block of B within half the L3, a multiple of 96 (and so of 16 and 32), 96…1536.
        #expect(GemmBlocking.make(l3: 16 << 20).nc == 1536 && GemmBlocking.make(l3: nil).nc == 1536)
        #expect(GemmBlocking.make(l3: 4 << 20).nc == 672 && GemmBlocking.make(l3: 256 << 10).nc == 96)
        #expect(GemmBlocking.make(l2: 512 << 10, l3: nil).inPlaceBMaxFloats == 65_536)
        #expect(GemmBlocking.make(l2: 1 << 20, l3: nil).inPlaceBMaxFloats == 131_072)
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func blockEdgesKCMCNCCrossed(transA: Bool, transB: Bool) {
        for kernel in GemmKernel.allCases {
            // K > KC = 768 (two reduction blocks; the second must accumulate), M > MC = 96, all ragged.
            // (M = 105 crosses MC only for a row-major A; a transposed A's MC is 192, crossed by the case below.)
            let g = GemmCase(transA: transA, transB: transB, m: 105, n: 401, k: 790, padA: 3, padB: 1, padC: 5,
                             alpha: -0.5, beta: 0.25, seed: 99)
            #expect(checkGemm(g, threads: 1, kernel: kernel) == nil)
            #expect(checkGemm(g, threads: 2, kernel: kernel) == nil)
            if transA {   // M > 192, the MC of a transposed A (one full block and a ragged one)
                let tallA = GemmCase(transA: true, transB: transB, m: 197, n: 70, k: 790, padA: 2, padB: 0, padC: 1,
                                     alpha: 1, beta: 0.5, seed: 98)
                #expect(checkGemm(tallA, threads: 1, kernel: kernel) == nil)
            }
            // N > NC = 1536 (two B blocks, the second ragged): with M ≤ 128 a row-major B is read in place, with
            // M > 128 it is packed, so both paths cross the block edge.
            for m in [11, 140] {
                let wide = GemmCase(transA: transA, transB: transB, m: m, n: 1600, k: 37, padA: 0, padB: 2, padC: 1,
                                    alpha: 1, beta: 1, seed: 5)
                #expect(checkGemm(wide, threads: 1, kernel: kernel) == nil)
            }
            // M on both sides of 2,048, where a transposed A stops being packed for all of M at once.
            for m in [2_048, 2_050] {
                let tall = GemmCase(transA: transA, transB: transB, m: m, n: 37, k: 20, padA: 1, padB: 0, padC: 2,
                                    alpha: 1, beta: 0.5, seed: 13)
                #expect(checkGemm(tall, threads: 1, kernel: kernel) == nil)
            }
        }
    }

    @Test func operandSharedBySlabsIsPackedOnceAndExact() {
        // Threaded products pack the operand every slab uses whole once, before the slabs (`prepackB`,
        // `prepackATransposed`): B when C is cut along M (row-major B only when slabs exceed 128 rows or a reduction
        // block of B exceeds half the L2; else each slab reads it in place), a transposed
        // A when cut along N. Two reduction blocks and ragged edges, against the reference and bit-equal to one thread.
        let cases = [
            GemmCase(transA: false, transB: false, m: 1_100, n: 70, k: 800, padA: 1, padB: 3, padC: 2,
                     alpha: 1, beta: 0.5, seed: 21),   // along M, row-major B shared
            GemmCase(transA: true, transB: true, m: 600, n: 50, k: 790, padA: 0, padB: 1, padC: 0,
                     alpha: -0.5, beta: 0, seed: 22),  // along M, transposed B shared
            GemmCase(transA: true, transB: false, m: 45, n: 700, k: 800, padA: 2, padB: 0, padC: 1,
                     alpha: 1, beta: 1, seed: 23),     // along N, transposed A shared
            GemmCase(transA: true, transB: true, m: 30, n: 500, k: 1_600, padA: 1, padB: 1, padC: 3,
                     alpha: 2, beta: 0.25, seed: 24),  // along N, three reduction blocks
            GemmCase(transA: false, transB: false, m: 250, n: 200, k: 1_000, padA: 2, padB: 1, padC: 0,
                     alpha: 1, beta: 1, seed: 25),     // along M, slabs ≤ 128 rows, row-major B too large to read in place
        ]
        for g in cases {
            for kernel in GemmKernel.allCases {
                #expect(checkGemm(g, threads: 2, kernel: kernel) == nil)
                #expect(checkGemm(g, threads: 3, kernel: kernel) == nil)
                let outs = [1, 2, 3].map { fastOutput(g, threads: $0, kernel: kernel) }
                #expect(outs[0] == outs[1] && outs[1] == outs[2], "\(g) \(kernel): thread counts gave different bits")
            }
        }
    }

    @Test func attentionSizedProductsAreThreadedAndExact() {
        // One head's products in training (S = 128, head 32): 1 MFLOP each, split over the threads when run alone;
        // a 64³ product (0.5 MFLOP) stays on one thread. Threaded, they match the reference and one thread's bits.
        #expect(Kernels.threadsPay(flops: 2 * 128 * 128 * 32, packedFloatsOfB: 0))
        #expect(!Kernels.threadsPay(flops: 2 * 64 * 64 * 64, packedFloatsOfB: 0))
        let cases = [
            GemmCase(transA: false, transB: false, m: 128, n: 32, k: 128, padA: 0, padB: 0, padC: 0,
                     alpha: 1, beta: 0, seed: 51),     // context = P·V
            GemmCase(transA: true, transB: false, m: 128, n: 32, k: 128, padA: 1, padB: 2, padC: 0,
                     alpha: 1, beta: 1, seed: 52),     // dV = Pᵀ·dO, accumulated
            GemmCase(transA: false, transB: true, m: 128, n: 128, k: 32, padA: 0, padB: 3, padC: 1,
                     alpha: 0.125, beta: 0, seed: 53), // scores = Q·Kᵀ / √d
        ]
        for g in cases {
            for kernel in GemmKernel.allCases {
                #expect(checkGemm(g, threads: 2, kernel: kernel) == nil)
                let outs = [1, 2, 3].map { fastOutput(g, threads: $0, kernel: kernel) }
                #expect(outs[0] == outs[1] && outs[1] == outs[2], "\(g) \(kernel): thread counts gave different bits")
            }
        }
    }

    @Test func bPackedBeforehandGivesTheSameBits() {
        // A weight packed once (`PackedWeightCache`, `prepackB`'s layout) and handed to products cut along M (each
        // slab reads all of it), along N (each slab its own columns of it), or run serially: the same bits as packing
        // (or reading in place) inside the product. Ragged N, one to three reduction blocks, both orientations of B.
        let cases = [
            GemmCase(transA: false, transB: true, m: 500, n: 100, k: 384, padA: 0, padB: 0, padC: 0,
                     alpha: 1, beta: 1, seed: 41),     // along M: a forward product, x·Wᵀ + b
            GemmCase(transA: false, transB: false, m: 500, n: 70, k: 1_600, padA: 1, padB: 2, padC: 0,
                     alpha: 1, beta: 1, seed: 42),     // along M, three reduction blocks: an input gradient, dy·W
            GemmCase(transA: false, transB: true, m: 90, n: 1_000, k: 800, padA: 0, padB: 1, padC: 2,
                     alpha: 1, beta: 0, seed: 43),     // along N, two reduction blocks, ragged last panel
            GemmCase(transA: false, transB: false, m: 40, n: 700, k: 300, padA: 0, padB: 0, padC: 1,
                     alpha: -0.5, beta: 0.25, seed: 44),  // along N, row-major B
            GemmCase(transA: false, transB: true, m: 7, n: 30, k: 50, padA: 0, padB: 0, padC: 0,
                     alpha: 1, beta: 0, seed: 45),     // small: one serial product
        ]
        for g in cases {
            for kernel in GemmKernel.allCases {
                for threads in [1, 2, 3] {
                    let same = fastOutput(g, threads: threads, kernel: kernel, prepacked: true)
                        == fastOutput(g, threads: threads, kernel: kernel)   // (a Bool: a failure prints no arrays)
                    #expect(same, "\(g) \(kernel) \(threads) threads")
                }
            }
        }
    }

    @Test func scratchCacheHandsOutTheSmallestBufferThatFits() {
        let cache = ScratchCache()
        let big = cache.take(1 << 20), small = cache.take(4_096)
        cache.give(big); cache.give(small)
        let again = cache.take(1_000)   // both fit; the small one must come back, the big one stay for big requests
        #expect(again.pointer == small.pointer)
        let large = cache.take(500_000)
        #expect(large.pointer == big.pointer)
        let fresh = cache.take(2 << 20)   // nothing idle fits: a new buffer
        #expect(fresh.pointer != big.pointer && fresh.byteCount >= 2 << 20)
        for b in [again, large, fresh] { cache.give(b) }
    }

    @Test func resultsDoNotDependOnThreadCount() {
        let g = GemmCase(transA: true, transB: false, m: 203, n: 150, k: 300, padA: 1, padB: 0, padC: 2,
                         alpha: 1, beta: 0.25, seed: 7)
        let gWide = GemmCase(transA: false, transB: true, m: 40, n: 500, k: 130, padA: 0, padB: 2, padC: 0,
                             alpha: -0.5, beta: 1, seed: 9)
        for c in [g, gWide] {
            let outs = [1, 2, 3].map { fastOutput(c, threads: $0) }
            #expect(outs[0] == outs[1] && outs[1] == outs[2], "\(c): thread counts gave different bits")
        }
    }

    @Test func aFewRowsByAWeightSplitOverThreadsGiveTheSameBits() {
        // Below `gemmParallelMinFlops` a product still runs on the threads when it packs ≥ 64 Ki floats of B itself:
        // one row by a [1536 × 384] weight (the last layer at [CLS]), one row by a [384 × 1536] one (two reduction
        // blocks), three rows by a row-major B too large to read in place. Against the reference, and the same bits
        // on 1, 2 and 3 threads (the serial product, and slabs of columns that each pack their own panels).
        let cases = [
            GemmCase(transA: false, transB: true, m: 1, n: 1536, k: 384, padA: 0, padB: 0, padC: 0, alpha: 1, beta: 1, seed: 41),
            GemmCase(transA: false, transB: true, m: 1, n: 384, k: 1536, padA: 3, padB: 1, padC: 0, alpha: 1, beta: 0, seed: 42),
            GemmCase(transA: false, transB: false, m: 3, n: 700, k: 800, padA: 0, padB: 2, padC: 1, alpha: -0.5, beta: 0.5, seed: 43),
        ]
        for g in cases {
            for kernel in GemmKernel.allCases { #expect(checkGemm(g, threads: 2, kernel: kernel) == nil, "\(g) \(kernel)") }
            let outs = [1, 2, 3].map { fastOutput(g, threads: $0) }
            #expect(outs[0] == outs[1] && outs[1] == outs[2], "\(g): thread counts gave different bits")
        }
    }

    @Test func rowMajorBReadInPlaceOrPackedGivesTheSameBits() {
        // A product of ≤ 128 rows reads a row-major B in place when a reduction block of it is small
        // (half the L2: `GemmBlocking.inPlaceBMaxFloats`), else packs it: both against the reference, bit-equal across thread counts
        // (1 thread: the serial product's choice; 2 and 3: slabs that share a packed B or read it in place).
        let cases = [
            GemmCase(transA: false, transB: false, m: 100, n: 60, k: 500, padA: 1, padB: 2, padC: 0,
                     alpha: 1, beta: 0.5, seed: 31),    // in place: 500 × 60 floats
            GemmCase(transA: false, transB: false, m: 100, n: 300, k: 900, padA: 0, padB: 1, padC: 3,
                     alpha: -0.5, beta: 1, seed: 32),   // packed: 768 × 300 floats per reduction block, two blocks
        ]
        for g in cases {
            #expect(checkGemm(g, threads: 1) == nil)
            let outs = [1, 2, 3].map { fastOutput(g, threads: $0) }
            #expect(outs[0] == outs[1] && outs[1] == outs[2], "\(g): thread counts gave different bits")
        }
    }

    @Test func transposedAReadInPlaceOrPackedGivesTheSameBits() {
        // A transposed A is read in place when each sliver meets one B panel, or two at a row stride that is not a
        // multiple of 4 KiB; else packed. n = 32 is one panel of 8×32 and two of 6×16; n = 40 two of 8×32 and three
        // of 6×16 (packed); lda 1024 floats (4 KiB) packs at two panels. Ragged M (the last sliver is packed), two
        // reduction blocks (k 900), beta ≠ 0: each against the reference, and all kernels and thread counts to the
        // bit — so the in-place and the packed reading of the same operands agree exactly.
        #expect(readsTransposedAInPlace(panels: 1, lda: 1024))
        #expect(readsTransposedAInPlace(panels: 2, lda: 1000))
        #expect(!readsTransposedAInPlace(panels: 2, lda: 1024))
        #expect(!readsTransposedAInPlace(panels: 3, lda: 1000))
        let cases = [
            GemmCase(transA: true, transB: false, m: 128, n: 32, k: 128, padA: 0, padB: 0, padC: 0,
                     alpha: 1, beta: 0, seed: 41),
            GemmCase(transA: true, transB: false, m: 53, n: 32, k: 900, padA: 3, padB: 1, padC: 2,
                     alpha: -0.5, beta: 0.25, seed: 42),
            GemmCase(transA: true, transB: true, m: 101, n: 40, k: 77, padA: 0, padB: 2, padC: 0,
                     alpha: 2, beta: 1, seed: 43),
            GemmCase(transA: true, transB: false, m: 1000, n: 29, k: 70, padA: 24, padB: 0, padC: 0,
                     alpha: 1, beta: 1, seed: 44),     // lda 1024: packed for 6×16's two panels
        ]
        for g in cases {
            for kernel in GemmKernel.allCases { #expect(checkGemm(g, threads: 1, kernel: kernel) == nil) }
            let outs = GemmKernel.allCases.flatMap { kernel in [1, 2].map { fastOutput(g, threads: $0, kernel: kernel) } }
            #expect(!outs.contains(where: { $0 != outs[0] }), "\(g): kernels or threads differ in bits")
        }
    }

    @Test func workedExample2x3x2() {
        // [1 2 3; 4 5 6] · [1 0; 0 1; 1 1] = [4 5; 10 11]; with alpha 2, beta 1 and C = 1: [9 11; 21 23].
        let a: [Float] = [1, 2, 3, 4, 5, 6], b: [Float] = [1, 0, 0, 1, 1, 1]
        var c: [Float] = [1, 1, 1, 1]
        Kernels.sgemm(transA: false, transB: false, m: 2, n: 2, k: 3, alpha: 2, a: a, lda: 3, b: b, ldb: 2,
                      beta: 1, c: &c, ldc: 2)
        #expect(c == [9, 11, 21, 23])
    }

    @Test func betaZeroIgnoresNaNInCAndKZeroScales() {
        let a = [Float](repeating: 1, count: 64), b = [Float](repeating: 1, count: 64)
        var c = [Float](repeating: .nan, count: 64)
        Kernels.sgemm(transA: false, transB: false, m: 8, n: 8, k: 8, a: a, lda: 8, b: b, ldb: 8, c: &c, ldc: 8)
        #expect(c.allSatisfy { $0 == 8 })
        Kernels.sgemm(transA: false, transB: false, m: 8, n: 8, k: 0, a: a, lda: 8, b: b, ldb: 8, beta: 0.5,
                      c: &c, ldc: 8)
        #expect(c.allSatisfy { $0 == 4 })
    }

    @Test func batchedEqualsLoopOfReferences() {
        let gen = Gen<(GemmCase, Int)>.zip(gemmCases(maxM: 70, maxN: 70, maxK: 70), .int(in: 1...9))
        propertyCheck(gen, cases: 25) { (g, batch) in
            var rng = Xoshiro256(seed: g.seed)
            let (ar, ac) = g.transA ? (g.k, g.m) : (g.m, g.k)
            let (br, bc) = g.transB ? (g.n, g.k) : (g.k, g.n)
            let sa = ar * ac + 5, sb = br * bc + 3, sc = g.m * g.n + 1
            let a = (0..<(sa * batch)).map { _ in rng.nextFloat() - 0.5 }
            let b = (0..<(sb * batch)).map { _ in rng.nextFloat() - 0.5 }
            let c0 = (0..<(sc * batch)).map { _ in rng.nextFloat() - 0.5 }
            var fast = c0, ref = c0
            let saved = Kernels.threadCount
            Kernels.threadCount = 2
            defer { Kernels.threadCount = saved }
            Kernels.sgemmBatched(transA: g.transA, transB: g.transB, m: g.m, n: g.n, k: g.k, alpha: g.alpha,
                                 a: a, lda: ac, strideA: sa, b: b, ldb: bc, strideB: sb, beta: g.beta,
                                 c: &fast, ldc: g.n, strideC: sc, batch: batch)
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    ref.withUnsafeMutableBufferPointer { pc in
                        for i in 0..<batch {
                            Kernels.sgemmReference(transA: g.transA, transB: g.transB, m: g.m, n: g.n, k: g.k,
                                                   alpha: g.alpha, a: pa.baseAddress! + i * sa, lda: ac,
                                                   b: pb.baseAddress! + i * sb, ldb: bc, beta: g.beta,
                                                   c: pc.baseAddress! + i * sc, ldc: g.n)
                        }
                    }
                }
            }
            let bound = Float(4 * g.k + 8) * Float.ulpOfOne * 2
            for i in fast.indices {
                try require(abs(fast[i] - ref[i]) <= bound, "\(g) batch \(batch): [\(i)] \(fast[i]) vs \(ref[i])")
            }
        }
    }

    /// A batched matmul's gradients are each batch entry's own, bit for bit: dA and dB of entry i equal those of
    /// entry i multiplied alone, whether the entries' products run in parallel (attention's batch × heads) or not.
    @Test func batchedMatmulGradientsAreEachEntrysOwnExactly() {
        let gen = Gen<(Int, Int, Int)>.zip(.int(in: 1...40), .int(in: 1...40), .int(in: 0...1_000_000))
        propertyCheck(gen, cases: 16) { (m, k, seed) in
            let s = UInt64(seed), n = 1 + (m * 7 + k) % 50, batch = 2 + seed % 39
            let saved = Kernels.threadCount
            Kernels.threadCount = 2
            defer { Kernels.threadCount = saved }
            for (ta, tb) in [(false, false), (false, true), (true, false), (true, true)] {
                let aShape = ta ? [k, m] : [m, k], bShape = tb ? [n, k] : [k, n]
                let a = randomTensor([batch] + aShape, seed: s), b = randomTensor([batch] + bShape, seed: s &+ 1)
                let seedGrad = randomTensor([batch, m, n], seed: s &+ 2)
                a.requiresGrad = true; b.requiresGrad = true
                a.matmul(b, transposeA: ta, transposeB: tb, alpha: 0.7).backward(gradient: seedGrad)
                let (da, db) = (a.grad!.scalars, b.grad!.scalars)
                let sizeA = m * k, sizeB = k * n
                for i in 0..<batch {
                    let ai = Tensor(shape: aShape, scalars: Array(a.scalars[i * sizeA..<(i + 1) * sizeA]),
                                    requiresGrad: true)
                    let bi = Tensor(shape: bShape, scalars: Array(b.scalars[i * sizeB..<(i + 1) * sizeB]),
                                    requiresGrad: true)
                    let gi = Tensor(shape: [m, n], scalars: Array(seedGrad.scalars[i * m * n..<(i + 1) * m * n]))
                    ai.matmul(bi, transposeA: ta, transposeB: tb, alpha: 0.7).backward(gradient: gi)
                    try require(ai.grad!.scalars.elementsEqual(da[i * sizeA..<(i + 1) * sizeA]),
                                "ta \(ta) tb \(tb) \(m)×\(k)×\(n) batch \(batch): dA of entry \(i)")
                    try require(bi.grad!.scalars.elementsEqual(db[i * sizeB..<(i + 1) * sizeB]),
                                "ta \(ta) tb \(tb) \(m)×\(k)×\(n) batch \(batch): dB of entry \(i)")
                }
            }
        }
    }

    @Test func parallelForCoversEachIndexOnce() {
        propertyCheck(Gen<(Int, Int)>.zip(.int(in: 0...5000), .int(in: 1...300)), cases: 40) { (count, minChunk) in
            var hits = [Int32](repeating: 0, count: count)
            let saved = Kernels.threadCount
            Kernels.threadCount = 3
            defer { Kernels.threadCount = saved }
            hits.withUnsafeMutableBufferPointer { h in
                let p = UnsafeSendableInt32Pointer(h.baseAddress)
                Kernels.parallelFor(count: count, minChunk: minChunk) { range in
                    for i in range { p.pointer![i] += 1 }
                }
            }
            try require(hits.allSatisfy { $0 == 1 }, "count \(count) minChunk \(minChunk): not every index once")
        }
    }

    @Test func threadCountSettingAndEnvironment() {
        setenv("RANKER_THREADS", "3", 1)
        #expect(Kernels.defaultThreadCount() == 3)
        setenv("RANKER_THREADS", "zero", 1)
        #expect(Kernels.defaultThreadCount() >= 1)
        unsetenv("RANKER_THREADS")
        let saved = Kernels.threadCount
        Kernels.threadCount = 0
        #expect(Kernels.threadCount == 1)
        Kernels.threadCount = saved
    }

    /// The pool numbers its jobs; the claim word keeps 24 bits of the number. Jobs numbered from 2²³ (the word's sign
    /// bit set) and across 2²⁴ (the bits wrap) must run like any other — a long training run reaches them in hours.
    @Test func jobsRunPastTheSerialNumbersWhereTheClaimWordWraps() {
        let saved = Kernels.threadCount
        Kernels.threadCount = 2
        defer { Kernels.threadCount = saved }
        for start in [(1 << 23) - 2, (1 << 24) - 2] {
            WorkerPool.shared.setSerialForTesting(start)
            let done = DispatchSemaphore(value: 0)
            let sums = UnsafeMutablePointer<Int>.allocate(capacity: 8)
            defer { sums.deallocate() }
            let p = UnsafeSendableIntPointer(sums)
            Thread.detachNewThread {
                for job in 0..<8 {
                    var parts = [Int](repeating: 0, count: 4)
                    parts.withUnsafeMutableBufferPointer { b in
                        let q = UnsafeSendableIntPointer(b.baseAddress!)
                        Kernels.parallelFor(count: 4) { r in for i in r { q.pointer[i] = (i + 1) * 1000 } }
                    }
                    p.pointer[job] = parts.reduce(0, +)
                }
                done.signal()
            }
            // A lost job never returns: wait a bounded time, so that the failure is reported rather than hung.
            guard done.wait(timeout: .now() + 30) == .success else {
                Issue.record("jobs from serial \(start) did not finish within 30 s (deadlock)")
                return
            }
            #expect((0..<8).allSatisfy { sums[$0] == 10_000 }, "from serial \(start)")
        }
    }

    @Test func nestedParallelForRunsSerially() {
        let saved = Kernels.threadCount
        Kernels.threadCount = 2
        defer { Kernels.threadCount = saved }
        var total = [Int](repeating: 0, count: 8)
        total.withUnsafeMutableBufferPointer { t in
            let p = UnsafeSendableIntPointer(t.baseAddress!)
            Kernels.parallelFor(count: 8) { outer in
                for i in outer {
                    var s = 0
                    Kernels.parallelFor(count: 100) { inner in for j in inner { s += j } }
                    p.pointer[i] = s
                }
            }
        }
        #expect(total.allSatisfy { $0 == 4950 })
    }
}

struct UnsafeSendableInt32Pointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Int32>?
    init(_ p: UnsafeMutablePointer<Int32>?) { pointer = p }
}
struct UnsafeSendableIntPointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Int>
    init(_ p: UnsafeMutablePointer<Int>) { pointer = p }
}
