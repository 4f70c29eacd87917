// How much memory the numeric work holds: bytes of tensor storage, GEMM packing scratch and packed weight copies in
// use, and the most in use at once since the last reset.
//
// Counted where those buffers are taken and given back — `TensorStorage`, `ScratchCache`, the packed-weight arena —
// at the sizes requested, not at the allocator's rounding, and not the idle buffers the pools keep for reuse. So the
// figure is what a computation needs, and it is the same whatever the allocator, the pools or earlier work left
// behind: the resident set size of a process that has run other models, by contrast, holds their idle buffers (in
// Paper B's Table 3 the whole process's high-water mark was 1.9–2.4 GB on every row, and the growth of the resident
// set while one model ran moved by a factor of two with the pool's and glibc's settings). This is the measure behind
// Table 3's peak memory per model (`Compression.peakMemoryMB`).
//
// Two relaxed atomics; a buffer is counted on the thread that takes it. With other work running at the same time in
// the process (parallel tests), a peak includes theirs.
// Leaves out: small Swift arrays (token ids, shapes, the autograd graph's nodes) and the runtime itself.

import Synchronization

public enum WorkingMemory {
    private static let live = Atomic<Int>(0)
    private static let high = Atomic<Int>(0)

    /// Counts `bytes` taken into use.
    @inline(__always)
    static func take(_ bytes: Int) {
        let now = live.wrappingAdd(bytes, ordering: .relaxed).newValue
        high.max(now, ordering: .relaxed)
    }

    /// Counts `bytes` given back.
    @inline(__always)
    static func give(_ bytes: Int) {
        live.wrappingSubtract(bytes, ordering: .relaxed)
    }

    /// Bytes in use now.
    public static var bytesInUse: Int { live.load(ordering: .relaxed) }

    /// The most bytes in use at once since the last `resetPeak` (or the start of the process).
    public static var peakBytes: Int { high.load(ordering: .relaxed) }

    /// Starts a new peak from what is in use now.
    public static func resetPeak() { high.store(live.load(ordering: .relaxed), ordering: .relaxed) }

    /// Runs `body` and returns the most bytes in use at once while it ran, beyond those in use before it (which a
    /// model's weights, loaded before, are).
    public static func peakGrowth(_ body: () throws -> Void) rethrows -> Int {
        let before = bytesInUse
        resetPeak()
        try body()
        return Swift.max(0, peakBytes - before)
    }
}
