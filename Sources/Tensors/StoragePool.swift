// A size-classed cache of the large aligned buffers behind `TensorStorage`, so that a training step does not ask
// the kernel for fresh pages on every op.
//
// Why: every op result, gradient and saved activation is a new `TensorStorage`. Buffers of more than a few hundred
// kilobytes come from glibc as fresh `mmap`s and go back with `munmap` when freed, so each step page-faults (and the
// kernel zero-fills) hundreds of megabytes. `perf` of a 6-layer BERT_CAT training step put 45 % of all samples in the
// kernel's page-fault and `clear_page` paths (Docs/Tensors.md, "The storage pool"). The shapes of one step recur in
// the next, so keeping freed buffers for reuse removes nearly all of that.
//
// How: a request of `minimumPooledBytes` or more is rounded up to a size class (four classes per octave, so at most
// 19 % over-allocation) and served from an idle buffer of that class or of one of the few classes above it (batches
// of varying sequence length ask for slightly different sizes every step); a freed buffer goes back to its class's
// list, and when the idle total passes `idleLimitBytes` the longest-idle buffers are freed. Smaller requests go
// straight to the allocator, which reuses small blocks well by itself. All under one mutex: a step makes a few
// thousand requests, each a few list operations.
//
// Leaves out: per-thread caches, returning idle memory on pressure (call `trim()`), NUMA placement.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

public final class StoragePool: Sendable {
    /// The pool every `TensorStorage` uses.
    public static let shared = StoragePool(idleLimitBytes: StoragePool.defaultIdleLimit())

    /// Requests below this go straight to the system allocator.
    public static let minimumPooledBytes = 64 << 10

    /// The most idle bytes kept for reuse; a buffer freed beyond it is returned to the system.
    public let idleLimitBytes: Int

    private struct Idle { var address: UInt; var stamp: Int }
    private struct State {
        var free: [Int: [Idle]] = [:]    // size class (bytes) → idle buffers of that class, oldest first
        var idleBytes = 0
        var clock = 0
        var hits = 0, misses = 0
    }
    private let state = Mutex(State())

    /// How many classes above its own a request may be served from (3: at most 2^(3/4) ≈ 1.7× its class).
    static let classesAbove = 3

    public init(idleLimitBytes: Int) {
        self.idleLimitBytes = max(0, idleLimitBytes)
    }

    /// `RANKER_POOL_MB` when set, else a quarter of physical memory, at most 4 GiB.
    static func defaultIdleLimit() -> Int {
        if let env = getenv("RANKER_POOL_MB"), let mb = Int(String(cString: env)), mb >= 0 { return mb << 20 }
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, pageSize > 0 else { return 1 << 30 }
        return min(4 << 30, pages * pageSize / 4)
    }

    /// The size class of a request: `bytes` rounded up to the next of 2ᵏ·{1, 1.25, 1.5, 1.75}. Requests below
    /// `minimumPooledBytes` are their own class (not pooled).
    ///
    ///     sizeClass(100_000) == 114_688       // 2¹⁶ · 1.75
    ///     sizeClass(140_000) == 163_840       // 2¹⁷ · 1.25
    public static func sizeClass(_ bytes: Int) -> Int {
        guard bytes >= minimumPooledBytes else { return bytes }
        let octave = Int.bitWidth - 1 - (bytes - 1).leadingZeroBitCount        // 2^octave < bytes ≤ 2^(octave+1)
        let quarter = 1 << (octave - 2)
        return (1 << octave) + ((bytes - (1 << octave) + quarter - 1) / quarter) * quarter
    }

    /// The class after `size` (a class ≥ `minimumPooledBytes`).
    static func nextClass(_ size: Int) -> Int { sizeClass(size + 1) }

    /// A 64-byte-aligned buffer of at least `bytes` bytes (contents undefined) and the capacity to give back: an idle
    /// buffer of the request's class or of one of the `classesAbove` classes above it (the most recently freed
    /// first), else a new allocation of the request's class.
    public func take(bytes: Int) -> (pointer: UnsafeMutableRawPointer, capacity: Int) {
        let size = StoragePool.sizeClass(max(bytes, 1))
        if size >= StoragePool.minimumPooledBytes {
            let reused: (UInt, Int)? = state.withLock { s in
                var c = size
                for _ in 0...StoragePool.classesAbove {
                    if let idle = s.free[c]?.popLast() {
                        s.idleBytes -= c
                        s.hits += 1
                        return (idle.address, c)
                    }
                    c = StoragePool.nextClass(c)
                }
                s.misses += 1
                return nil
            }
            if let (address, capacity) = reused, let p = UnsafeMutableRawPointer(bitPattern: address) {
                return (p, capacity)
            }
        }
        return (UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64), size)
    }

    /// Gives back a buffer from `take` with the capacity it returned. When the idle total would pass the limit, the
    /// longest-idle buffers are freed to make room (the shapes of a run drift, so old sizes are the ones to drop).
    public func give(_ pointer: UnsafeMutableRawPointer, capacity: Int) {
        guard capacity >= StoragePool.minimumPooledBytes, capacity <= idleLimitBytes else {
            pointer.deallocate()
            return
        }
        let address = UInt(bitPattern: pointer)
        let evicted = state.withLock { s -> [UInt] in
            s.clock += 1
            s.free[capacity, default: []].append(Idle(address: address, stamp: s.clock))
            s.idleBytes += capacity
            var evicted: [UInt] = []
            while s.idleBytes > idleLimitBytes {
                // The oldest idle buffer is the first of some class's list.
                guard let (c, _) = s.free.compactMap({ c, list in list.first.map { (c, $0.stamp) } })
                        .min(by: { $0.1 < $1.1 }) else { break }
                evicted.append(s.free[c]!.removeFirst().address)
                s.idleBytes -= c
            }
            return evicted
        }
        for a in evicted { UnsafeMutableRawPointer(bitPattern: a)?.deallocate() }
    }

    /// Frees every idle buffer.
    public func trim() {
        let all = state.withLock { s -> [UInt] in
            let list = s.free.values.flatMap { $0.map(\.address) }
            s.free = [:]
            s.idleBytes = 0
            return list
        }
        for address in all { UnsafeMutableRawPointer(bitPattern: address)?.deallocate() }
    }

    /// Idle bytes held, and how many pooled requests were served from the cache (hits) or the system (misses).
    public var statistics: (idleBytes: Int, hits: Int, misses: Int) {
        state.withLock { ($0.idleBytes, $0.hits, $0.misses) }
    }
}
