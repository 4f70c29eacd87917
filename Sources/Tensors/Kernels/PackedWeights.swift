// Weights packed once per training step (or per inference call, or per serving loop) instead of once per product.
//
// A GEMM reads its B operand in nr-column panels (GEMMDriver.swift), so every product with a weight as B first packs
// that weight: `linear` packs W transposed for the forward product and W as stored for the input gradient. A training
// step scores its pairs in length groups (Student/LengthGroups.swift), 20 or so per step, and packed every weight of
// the encoder twice in each of them — ~5 % of an AVX2 step's time went into packing the same, unchanged weights again.
//
// Inside `Kernels.withPackedWeights { … }` the first product with a given weight packs it into an arena owned by the
// scope, and later products with the same weight (same storage, same orientation, same micro-kernel) read that packed
// copy. The caller promises that no weight changes inside the scope: a training step's forward and backward, with the
// optimiser's update after it. The packed copy holds exactly the values packing would produce on each call, and the
// micro-kernel reads them in the same order, so results are bit-identical with and without the scope (tested).
//
// Only leaf tensors (parameters, not computed values) are cached, and an entry holds its storage alive, so a storage
// freed and reallocated at the same address inside the scope cannot be mistaken for a cached one. The arena is kept
// between scopes (the next step packs into the same, already-mapped memory): about twice the size of the encoder's
// linear weights. Inference scopes the same way: `SentenceEncoder.embed` and `Ranker.rerank` pack once per call (all
// batches, all length groups), and a caller whose weights stay fixed — a latency loop, a server — wraps all its calls
// in one scope: at batch 1 the packing is a fifth to a third of MiniLM's forward (`bench encode`, "weights kept
// packed").
// Leaves out: caching across training steps (the weights change with every update).

import Synchronization

/// The packed weights of one `Kernels.withPackedWeights` scope.
final class PackedWeightCache: @unchecked Sendable {
    /// The scope the calling task is in, if any.
    @TaskLocal static var current: PackedWeightCache?

    private struct Key: Hashable {
        let storage: ObjectIdentifier
        let transB: Bool
    }
    private struct Entry {
        let storage: TensorStorage      // kept alive for the scope: its address cannot be reused by another storage
        let k: Int, n: Int, ldb: Int
        let kernel: GemmKernel
        let packed: UnsafePointer<Float>
    }
    private struct State {
        var entries: [Key: Entry] = [:]
        var open = true
        var arena: Arena
    }
    /// Bump allocation of 64-byte-aligned packed operands in chunks; the first chunk is reused by the next scope.
    private struct Arena: Sendable {
        var chunks: [ScratchBuffer] = []
        var used = 0          // bytes used in the last chunk
        var total = 0         // bytes used in all chunks

        mutating func allocate(floats: Int) -> UnsafeMutablePointer<Float> {
            let bytes = (floats * 4 + 63) / 64 * 64
            if chunks.isEmpty || used + bytes > chunks[chunks.count - 1].byteCount {
                let size = Swift.max(bytes, 32 << 20)
                chunks.append(ScratchBuffer(pointer: .allocate(byteCount: size, alignment: 64), byteCount: size))
                used = 0
            }
            let p = chunks[chunks.count - 1].pointer + used
            used += bytes
            total += bytes
            WorkingMemory.take(bytes)
            return p.bindMemory(to: Float.self, capacity: floats)
        }
    }

    /// The one idle chunk kept between scopes (the largest seen), and the size the next scope should start with.
    private struct Idle: Sendable {
        var chunk: ScratchBuffer?
        var wanted = 0
    }
    private static let idle = Mutex(Idle())

    private let state: Mutex<State>

    private init() {
        let first: ScratchBuffer? = PackedWeightCache.idle.withLock { idle in
            if let c = idle.chunk, c.byteCount >= idle.wanted { idle.chunk = nil; return c }
            idle.chunk?.pointer.deallocate()
            idle.chunk = nil
            return idle.wanted > 0
                ? ScratchBuffer(pointer: .allocate(byteCount: idle.wanted, alignment: 64), byteCount: idle.wanted) : nil
        }
        var arena = Arena()
        if let first { arena.chunks = [first] }
        state = Mutex(State(arena: arena))
    }

    /// Runs `body` inside a scope (the enclosing one when there is one already).
    static func scope<R>(_ body: () throws -> R) rethrows -> R {
        if current != nil { return try body() }
        let cache = PackedWeightCache()
        defer { cache.close() }
        return try $current.withValue(cache) { try body() }
    }

    /// op(B) of the weight `storage` (at `b`, k × n, row stride `ldb`; transposed when `transB`) packed for `kernel`
    /// in `Kernels.prepackB`'s layout: packed on the first call of the scope, the same copy afterwards. Nil when the
    /// scope is closed or the operand is too large to keep a second copy of.
    func packed(_ storage: TensorStorage, transB: Bool, b: UnsafePointer<Float>, k: Int, n: Int, ldb: Int,
                kernel: GemmKernel, threads: Int) -> UnsafePointer<Float>? {
        let floats = (n + kernel.nr - 1) / kernel.nr * kernel.nr * k
        guard k > 0, n > 0, floats <= gemmPrepackMaxFloats else { return nil }
        let key = Key(storage: ObjectIdentifier(storage), transB: transB)
        let b0 = UnsafeSendablePointer(b)
        let found: UnsafeSendablePointer? = state.withLock { s in
            guard s.open else { return nil }
            if let e = s.entries[key], e.k == k, e.n == n, e.ldb == ldb, e.kernel == kernel {
                return UnsafeSendablePointer(e.packed)
            }
            let into = s.arena.allocate(floats: floats)
            Kernels.prepackB(transB: transB, b: b0.pointer, ldb: ldb, k: k, n: n, into: into, nr: kernel.nr,
                             threads: threads)
            s.entries[key] = Entry(storage: storage, k: k, n: n, ldb: ldb, kernel: kernel, packed: UnsafePointer(into))
            return UnsafeSendablePointer(UnsafePointer(into))
        }
        return found?.pointer
    }

    /// Ends the scope: entries are dropped, the first chunk goes back for the next scope (the others are freed, and
    /// the next scope starts with one chunk as large as all of this one's).
    private func close() {
        let arena: Arena = state.withLock { s in
            s.open = false
            s.entries = [:]
            let a = s.arena
            s.arena = Arena()
            return a
        }
        WorkingMemory.give(arena.total)
        guard let first = arena.chunks.first else { return }
        for c in arena.chunks.dropFirst() { c.pointer.deallocate() }
        let keep = arena.chunks.count == 1
        let evicted: ScratchBuffer? = PackedWeightCache.idle.withLock { idle in
            idle.wanted = Swift.max(idle.wanted, arena.total)
            if keep, (idle.chunk?.byteCount ?? 0) < first.byteCount {
                let old = idle.chunk
                idle.chunk = first
                return old
            }
            return first
        }
        evicted?.pointer.deallocate()
    }
}

extension Kernels {
    /// Runs `body` with each weight packed for the GEMM once rather than once per product (see PackedWeights.swift).
    /// No parameter may change inside `body`: wrap a training step's forward and backward, not its update.
    public static func withPackedWeights<R>(_ body: () throws -> R) rethrows -> R {
        try PackedWeightCache.scope(body)
    }

    /// C = alpha·op(A)·op(B) + beta·C with B a parameter (`weight`, a leaf tensor's storage): inside
    /// `withPackedWeights`, op(B) is packed once per scope; elsewhere this is `sgemm`.
    static func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
                      a: UnsafePointer<Float>, lda: Int, weight: TensorStorage?, b: UnsafePointer<Float>, ldb: Int,
                      beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int, cache: PackedWeightCache?) {
        let kernel = gemmKernel, threads = threadCount
        let packed = weight.flatMap {
            cache?.packed($0, transB: transB, b: b, k: k, n: n, ldb: ldb, kernel: kernel, threads: threads)
        }
        sgemmFast(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                  beta: beta, c: c, ldc: ldc, threads: threads, kernel: kernel, packedB: packed)
    }
}
