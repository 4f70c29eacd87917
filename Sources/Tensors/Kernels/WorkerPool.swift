// A persistent fork-join worker pool for the kernels (GEMM slabs, batched GEMM, element-wise passes over many rows).
//
// Workers are plain pthreads that live for the process. A job is published by bumping an atomic generation counter;
// a worker spins on it for ~100 µs after its last job (cheap hand-off for back-to-back GEMMs), then parks on a
// condition variable. The caller takes part in the job, then spins ~20 µs for the workers to finish before blocking.
// Spins are always bounded: on this shared 2-vCPU host an unbounded spin steals the very core the worker needs
// (Docs/Tensors.md, "Threading"). No Dispatch: its second worker starts with a p90 of ~4 ms here.
//
// Leaves out: work stealing and priorities. A job whose caller is itself inside a job (nesting), or that finds the
// pool busy with another caller's job, runs serially on the calling thread instead of waiting.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// The process-wide thread-count setting behind `Kernels.threadCount`.
private let threadCountSetting = Atomic<Int>(Kernels.defaultThreadCount())

extension Kernels {
    /// Number of threads the kernels use (the calling thread included). Default: the number of online processors,
    /// or `RANKER_THREADS` when that environment variable holds a positive integer. Values below 1 count as 1.
    /// Safe to read and set from any thread; a change applies to kernel calls that start after it.
    public static var threadCount: Int {
        get { threadCountSetting.load(ordering: .relaxed) }
        set { threadCountSetting.store(Swift.max(1, newValue), ordering: .relaxed) }
    }

    /// The default thread count: `RANKER_THREADS` if set to a positive integer, else the online processor count.
    public static func defaultThreadCount() -> Int {
        if let env = getenv("RANKER_THREADS"), let n = Int(String(cString: env)), n > 0 { return n }
        return Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    /// Runs `body` over `0..<count` split into contiguous chunks of at least `minChunk` items, on up to
    /// `threadCount` threads (the caller included), and returns when all chunks are done. Chunks are claimed
    /// dynamically, so `body` must give the same result whichever thread runs a chunk; it must only write memory that
    /// belongs to its own range. With one thread, or `count ≤ minChunk`, it is a plain call `body(0..<count)`.
    ///
    ///     Kernels.parallelFor(count: rows, minChunk: 16) { range in
    ///         for r in range { /* softmax of row r */ }
    ///     }
    public static func parallelFor(count: Int, minChunk: Int = 1, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let threads = Swift.min(threadCount, (count + Swift.max(1, minChunk) - 1) / Swift.max(1, minChunk))
        if threads <= 1 { body(0..<count); return }
        // A few chunks per thread smooths out a host that sometimes gives one core less than asked for.
        let chunks = Swift.min(count, threads * 4, (count + Swift.max(1, minChunk) - 1) / Swift.max(1, minChunk))
        runTasks(count: chunks, threads: threads) { t in
            body((t * count / chunks)..<((t + 1) * count / chunks))
        }
    }

    /// Runs `task(0) … task(count − 1)` on up to `threads` threads (the caller included); tasks are claimed in order
    /// from a shared counter. Returns when every task has finished.
    @usableFromInline
    static func runTasks(count: Int, threads: Int, _ task: (Int) -> Void) {
        let threads = Swift.min(threads, count)
        if threads <= 1 { for t in 0..<count { task(t) }; return }
        WorkerPool.shared.run(tasks: count, participants: threads, task)
    }
}

/// The pool itself. All mutable state is either atomic or owned by the one caller holding `busy`; the job closure is
/// written before the claim word is published (release) and read by a worker only after it claimed a task (acquire).
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()

    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let workCond: UnsafeMutablePointer<pthread_cond_t>
    private let doneCond: UnsafeMutablePointer<pthread_cond_t>
    /// `serial << 8 | helpers` of the latest job; workers wait for it to change. Carrying the job's helper count in
    /// the same word lets a worker decide whether it takes part without reading any other, possibly newer, state.
    private let generation = Atomic<Int>(0)
    private nonisolated(unsafe) var serial = 0
    /// The current job's claim word: serial (bits 40…63) | task count (bits 20…39) | next task index (bits 0…19).
    /// Tasks are claimed by compare-and-swap on the whole word, so a worker that wakes late (after its job is over)
    /// sees a different serial and claims nothing: the caller never waits for a worker that has no task.
    private let claimWord = Atomic<Int>(0)
    /// Tasks of the current job that have finished.
    private let finished = Atomic<Int>(0)
    /// True while some caller owns the pool (a second caller, or a nested call, runs serially instead).
    private let busy = Atomic<Bool>(false)
    /// Number of started workers (only grows; guarded by `mutex` for writes).
    private let workerCount = Atomic<Int>(0)

    // The current job; written only by the owning caller before publishing it.
    private nonisolated(unsafe) var job: ((Int) -> Void)?

    static let workerSpinNanoseconds: UInt64 = 100_000
    static let callerSpinNanoseconds: UInt64 = 20_000

    private init() {
        mutex = .allocate(capacity: 1); pthread_mutex_init(mutex, nil)
        workCond = .allocate(capacity: 1); pthread_cond_init(workCond, nil)
        doneCond = .allocate(capacity: 1); pthread_cond_init(doneCond, nil)
    }

    /// Runs `tasks` tasks with up to `participants` threads: the caller and `participants − 1` workers. Tasks are
    /// claimed dynamically; the call returns when every task has finished.
    func run(tasks: Int, participants: Int, _ task: (Int) -> Void) {
        guard tasks < 1 << 20, busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else {
            for t in 0..<tasks { task(t) }   // pool in use (nested or concurrent caller): run here
            return
        }
        defer { busy.store(false, ordering: .releasing) }
        let helpers = Swift.min(participants - 1, 255)
        ensureWorkers(helpers)
        withoutActuallyEscaping(task) { escapable in
            job = escapable
            finished.store(0, ordering: .relaxed)
            serial += 1
            let serialBits = serial & 0xFF_FFFF
            claimWord.store(serialBits << 40 | tasks << 20, ordering: .releasing)
            generation.store(serial << 8 | helpers, ordering: .releasing)
            pthread_mutex_lock(mutex)
            pthread_cond_broadcast(workCond)
            pthread_mutex_unlock(mutex)
            drain(serialBits: serialBits)
            waitForTasks(tasks)
            job = nil
        }
    }

    /// Claims and runs tasks of the job with `serialBits` until none are left (or that job is over).
    private func drain(serialBits: Int) {
        while true {
            let word = claimWord.load(ordering: .acquiring)
            // Masked: from serial 2²³ on the word's top bit is set, and a plain `>> 40` (arithmetic) would never
            // match again — every later job would claim nothing and wait for ever.
            guard (word >> 40) & 0xFF_FFFF == serialBits else { return }
            let count = (word >> 20) & 0xF_FFFF, index = word & 0xF_FFFF
            guard index < count else { return }
            guard claimWord.compareExchange(expected: word, desired: word + 1,
                                            ordering: .acquiringAndReleasing).exchanged else { continue }
            // The job cannot change under us: its caller waits for this task before publishing another.
            job!(index)
            if finished.add(1, ordering: .acquiringAndReleasing).newValue == count {
                pthread_mutex_lock(mutex)
                pthread_cond_signal(doneCond)
                pthread_mutex_unlock(mutex)
            }
        }
    }

    /// Spins briefly, then blocks, until all `tasks` tasks have finished.
    private func waitForTasks(_ tasks: Int) {
        let start = monotonicNanoseconds()
        var spins = 0
        while finished.load(ordering: .acquiring) != tasks {
            spins += 1
            if spins & 31 == 0 && monotonicNanoseconds() - start > Self.callerSpinNanoseconds { break }
        }
        if finished.load(ordering: .acquiring) == tasks { return }
        pthread_mutex_lock(mutex)
        while finished.load(ordering: .acquiring) != tasks { pthread_cond_wait(doneCond, mutex) }
        pthread_mutex_unlock(mutex)
    }

    /// Sets the job counter (tests: to run jobs across the points where the claim word's serial bits wrap).
    func setSerialForTesting(_ value: Int) {
        while !busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged { sched_yield() }
        serial = value
        busy.store(false, ordering: .releasing)
    }

    private func ensureWorkers(_ n: Int) {
        guard workerCount.load(ordering: .acquiring) < n else { return }
        pthread_mutex_lock(mutex)
        while workerCount.load(ordering: .relaxed) < n {
            let index = workerCount.load(ordering: .relaxed)
            let context = Unmanaged.passRetained(WorkerStart(pool: self, index: index, seen: generation.load(ordering: .acquiring))).toOpaque()
            #if canImport(Darwin)
            var thread: pthread_t? = nil
            #else
            var thread = pthread_t()
            #endif
            let rc = pthread_create(&thread, nil, { raw in
                let start = Unmanaged<WorkerStart>.fromOpaque(raw!).takeRetainedValue()
                start.pool.workerLoop(index: start.index, seen: start.seen)
                return nil
            }, context)
            precondition(rc == 0, "WorkerPool: pthread_create failed with \(rc)")
            pthread_detach(thread)
            workerCount.store(index + 1, ordering: .releasing)
        }
        pthread_mutex_unlock(mutex)
    }

    /// `seen` is the generation before the worker was created: a job published before the thread got to run is
    /// still picked up.
    private func workerLoop(index: Int, seen initial: Int) {
        var seen = initial
        while true {
            var g = generation.load(ordering: .acquiring)
            if g == seen {
                let start = monotonicNanoseconds()
                var spins = 0
                while g == seen {
                    spins += 1
                    if spins & 63 == 0 && monotonicNanoseconds() - start > Self.workerSpinNanoseconds { break }
                    g = generation.load(ordering: .acquiring)
                }
                if g == seen {
                    pthread_mutex_lock(mutex)
                    g = generation.load(ordering: .acquiring)
                    while g == seen {
                        pthread_cond_wait(workCond, mutex)
                        g = generation.load(ordering: .acquiring)
                    }
                    pthread_mutex_unlock(mutex)
                }
            }
            seen = g
            // Workers beyond this job's count sit it out (the pool may hold more workers than the job asked for).
            guard index < g & 255 else { continue }
            drain(serialBits: (g >> 8) & 0xFF_FFFF)
        }
    }
}

private final class WorkerStart {
    let pool: WorkerPool
    let index: Int
    let seen: Int
    init(pool: WorkerPool, index: Int, seen: Int) { self.pool = pool; self.index = index; self.seen = seen }
}

@inline(__always)
func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
}
