// Which SGEMM micro-kernel runs, and with which block sizes: chosen once per process from what the CPU offers.
//
//   kernel   tile (rows × columns of C)   accumulators                       fits
//   8×32     8 × 32 (2 SIMD16 a row)      16 × 512-bit                        AVX-512 (32 zmm registers)
//   6×16     6 × 16 (2 SIMD8 a row)       12 × 256-bit (24 × 128-bit)         AVX2/FMA3 (16 ymm), NEON (32 q)
//
// A tile's accumulators must stay in registers for the whole reduction loop, beside the B vectors of one k step and
// a broadcast of A. On a core with sixteen 256-bit registers the 8×32 tile needs 32 of them and spills on every step
// (AVX2 hosts ran it at a third of OpenBLAS's speed); 6×16 is the shape BLIS and OpenBLAS use there.
//
// Every kernel adds the products of one element of C in the same order, p = 0, 1, …, with one fused multiply-add
// each, and the reduction is cut into blocks of the same KC = 768 for all kernels: so the kernels give bit-identical
// results, and a run on an AVX2 host reproduces an AVX-512 host's numbers exactly. KC is therefore not tuned to the
// cache; the column block NC, which changes no arithmetic, is sized to the L3 read from the system.
//
// Choice: `RANKER_GEMM_KERNEL` (8x32 or 6x16) when set, else 8×32 where the CPU has AVX-512F, 6×16 elsewhere.
// Tests and `bench gemm --kernel` set `Kernels.gemmKernel` directly.
// Leaves out: a start-up measurement of both kernels (the feature test picked the faster one on every host tried).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// A register-tiled SGEMM micro-kernel: the shape of C's tile it computes per call.
public enum GemmKernel: String, CaseIterable, Sendable, CustomStringConvertible {
    /// 8 rows × 32 columns, 16 `SIMD16<Float>` accumulators: for AVX-512.
    case tile8x32 = "8x32"
    /// 6 rows × 16 columns, 12 `SIMD8<Float>` accumulators: for AVX2/FMA3 (and NEON, where they are 24 registers).
    case tile6x16 = "6x16"

    /// Rows of C per tile (rows of an A sliver).
    public var mr: Int { self == .tile8x32 ? 8 : 6 }
    /// Columns of C per tile (columns of a B panel).
    public var nr: Int { self == .tile8x32 ? 32 : 16 }
    public var description: String { rawValue }

    /// The kernel for this CPU: 8×32 with AVX-512F, else 6×16.
    public static func preferred(for cpu: CPUInfo = .host) -> GemmKernel {
        cpu.hasAVX512 ? .tile8x32 : .tile6x16
    }
}

/// What the kernels need to know about the processor: its name, vector extensions and data-cache sizes.
public struct CPUInfo: Sendable, Equatable {
    /// The model name (`/proc/cpuinfo`'s "model name", or sysctl's brand string), or "unknown".
    public var model: String
    /// The widest vector extension the kernels can use: "AVX-512", "AVX2", "NEON" or "SSE2/other".
    public var vectorISA: String
    public var hasAVX512: Bool
    /// Per-core data-cache sizes in bytes (nil where the system does not say).
    public var l1d: Int?, l2: Int?, l3: Int?

    /// The machine this process runs on, read once.
    public static let host: CPUInfo = CPUInfo.read()

    public init(model: String, vectorISA: String, hasAVX512: Bool, l1d: Int?, l2: Int?, l3: Int?) {
        self.model = model; self.vectorISA = vectorISA; self.hasAVX512 = hasAVX512
        self.l1d = l1d; self.l2 = l2; self.l3 = l3
    }

    /// One line for benchmark and run records: "AMD EPYC, family 23 model 49 (AVX2; L1d 32 KiB; L2 512 KiB; L3 16 MiB)".
    public var summary: String {
        func size(_ b: Int?) -> String? {
            guard let b else { return nil }
            return b >= 1 << 20 && b % (1 << 20) == 0 ? "\(b >> 20) MiB" : "\(b >> 10) KiB"
        }
        let caches = [("L1d", l1d), ("L2", l2), ("L3", l3)].compactMap { name, b in size(b).map { "\(name) \($0)" } }
        return "\(model) (\(([vectorISA] + caches).joined(separator: "; ")))"
    }

    static func read() -> CPUInfo {
        #if arch(arm64)
        let isa = "NEON", avx512 = false
        #else
        let flags = cpuinfoField("flags").map { Set($0.split(separator: " ").map(String.init)) } ?? []
        #if canImport(Darwin)
        let avx512 = sysctlInt("hw.optional.avx512f") == 1
        let avx2 = sysctlInt("hw.optional.avx2_0") == 1
        #else
        let avx512 = flags.contains("avx512f")
        let avx2 = flags.contains("avx2") && flags.contains("fma")
        #endif
        let isa = avx512 ? "AVX-512" : avx2 ? "AVX2" : "SSE2/other"
        #endif
        #if canImport(Darwin)
        let model = sysctlString("machdep.cpu.brand_string") ?? sysctlString("hw.model") ?? "unknown"
        let l1d = sysctlInt("hw.l1dcachesize"), l2 = sysctlInt("hw.l2cachesize"), l3 = sysctlInt("hw.l3cachesize")
        #else
        var model = cpuinfoField("model name") ?? cpuinfoField("Model") ?? "unknown"
        // A virtual machine's name is often only the vendor's line ("AMD EPYC"): the family and model numbers say
        // which core it is (family 23 model 49 is Zen 2, 25 is Zen 3/4, 26 Zen 5).
        if let family = cpuinfoField("cpu family"), let number = cpuinfoField("model") {
            model += ", family \(family) model \(number)"
        }
        let caches = sysfsDataCaches()
        let l1d = caches[1], l2 = caches[2], l3 = caches[3]
        #endif
        return CPUInfo(model: model, vectorISA: isa, hasAVX512: avx512, l1d: l1d, l2: l2, l3: l3)
    }
}

/// Parses a sysfs cache size: "32K" → 32768, "16384K" → 16 MiB, "1M" → 1 MiB, "512" → 512. Nil if malformed.
func parseCacheSize(_ text: String) -> Int? {
    let t = text.trimmingWhitespace()
    guard let last = t.last else { return nil }
    let scale = last == "K" ? 1 << 10 : last == "M" ? 1 << 20 : last == "G" ? 1 << 30 : 1
    guard let n = Int(scale == 1 ? t : String(t.dropLast())), n > 0 else { return nil }
    return n * scale
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" { s.removeLast() }
        return String(s)
    }
}

/// The whole text of a small file, or nil.
func readSmallFile(_ path: String) -> String? {
    guard let f = fopen(path, "r") else { return nil }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = fread(&buffer, 1, buffer.count, f)
        if n <= 0 { break }
        bytes.append(contentsOf: buffer[0..<n])
        if bytes.count > 1 << 22 { break }
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// The first `/proc/cpuinfo` line "NAME : value", its value.
func cpuinfoField(_ name: String) -> String? {
    guard let text = readSmallFile("/proc/cpuinfo") else { return nil }
    for line in text.split(separator: "\n") {
        let parts = line.split(separator: ":", maxSplits: 1)
        if parts.count == 2, String(parts[0]).trimmingWhitespace() == name {
            return String(parts[1]).trimmingWhitespace()
        }
    }
    return nil
}

/// Data and unified cache sizes of cpu0 by level, from /sys/devices/system/cpu/cpu0/cache/index*/.
func sysfsDataCaches() -> [Int: Int] {
    var out: [Int: Int] = [:]
    for i in 0..<8 {
        let dir = "/sys/devices/system/cpu/cpu0/cache/index\(i)/"
        guard let level = readSmallFile(dir + "level").flatMap({ Int($0.trimmingWhitespace()) }),
              let type = readSmallFile(dir + "type")?.trimmingWhitespace(), type == "Data" || type == "Unified",
              let size = readSmallFile(dir + "size").flatMap(parseCacheSize) else { continue }
        out[level] = size
    }
    return out
}

#if canImport(Darwin)
func sysctlInt(_ name: String) -> Int? {
    var value: Int64 = 0, size = MemoryLayout<Int64>.size
    guard sysctlbyname(name, &value, &size, nil, 0) == 0 else { return nil }
    return Int(value)
}

func sysctlString(_ name: String) -> String? {
    var size = 0
    guard sysctlbyname(name, nil, &size, nil, 0) == 0, size > 0 else { return nil }
    var bytes = [CChar](repeating: 0, count: size)
    guard sysctlbyname(name, &bytes, &size, nil, 0) == 0 else { return nil }
    return String(cString: bytes)
}
#endif

/// Block sizes of the SGEMM driver. Only `kc` changes arithmetic (blocks after the first accumulate into C), so it is
/// the same on every host and for every kernel; `mc` and `nc` change only speed.
struct GemmBlocking: Sendable, Equatable {
    /// Reduction block: 768 for every kernel (see the file comment).
    static let kc = 768
    /// Rows per A block when A is transposed (and packed); a multiple of every kernel's mr.
    var mcTransA: Int
    /// Rows per A block otherwise; a multiple of every kernel's mr.
    var mc: Int
    /// B block width; a multiple of every kernel's nr.
    var nc: Int
    /// The largest reduction block of a row-major B (in floats) that a product of ≤ 128 rows reads in place instead of
    /// packing it: half the L2 (64 Ki floats where the L2 is 512 KiB or unknown). A larger block streams from L3 a
    /// row per k step, which the prefetcher follows badly (the training step's input gradient NN 384×1536×384 ran at
    /// 0.78× OpenBLAS so on Zen 2, at 1.0× packed).
    var inPlaceBMaxFloats = 65_536

    /// The blocking on a CPU with an L3 of `l3` bytes (nil: unknown), the same for both kernels.
    /// MC 96 / 192 (transposed A), tuned on Zen 4 and Zen 5. NC: each A sliver, held in L1, streams the whole KC×NC
    /// block of packed B past it, so the block must stay in L3: NC is the largest multiple of 96 (≤ 1536) whose block
    /// takes at most half the L3 — 1536 (4.5 MiB) on every host tried. NC 1536 was measured best for 8×32 on Zen 4 and
    /// for 6×16 on Zen 2 (against 192 and 384, which repack a transposed A once per block); Docs/Tensors.md.
    static func make(l2: Int? = nil, l3: Int?) -> GemmBlocking {
        let fit = (l3 ?? (16 << 20)) / 2 / (kc * 4) / 96 * 96
        return GemmBlocking(mcTransA: 192, mc: 96, nc: Swift.max(96, Swift.min(1536, fit)),
                            inPlaceBMaxFloats: (l2 ?? (512 << 10)) / 2 / 4)
    }
}

/// The process-wide kernel setting behind `Kernels.gemmKernel` (an index into `GemmKernel.allCases`).
private let gemmKernelSetting = Atomic<Int>(GemmKernel.allCases.firstIndex(of: Kernels.defaultGemmKernel())!)
/// Block sizes for this host, computed once.
private let hostBlocking = GemmBlocking.make(l2: CPUInfo.host.l2, l3: CPUInfo.host.l3)
/// A block-size override for tests (crossing NC edges with small products); nil: the host's.
private let blockingOverride = Mutex<GemmBlocking?>(nil)
private let blockingOverridden = Atomic<Bool>(false)

extension Kernels {
    /// The micro-kernel `sgemm` uses. Default: `RANKER_GEMM_KERNEL` when it names a kernel (8x32, 6x16), else the
    /// one that fits this CPU (`GemmKernel.preferred`). Every kernel gives bit-identical results; the choice is speed
    /// only. Safe to set from any thread; applies to products that start after it.
    public static var gemmKernel: GemmKernel {
        get { GemmKernel.allCases[gemmKernelSetting.load(ordering: .relaxed)] }
        set { gemmKernelSetting.store(GemmKernel.allCases.firstIndex(of: newValue)!, ordering: .relaxed) }
    }

    /// `RANKER_GEMM_KERNEL` if it names a kernel, else `GemmKernel.preferred()`.
    public static func defaultGemmKernel() -> GemmKernel {
        if let env = getenv("RANKER_GEMM_KERNEL"), let k = GemmKernel(rawValue: String(cString: env)) { return k }
        return GemmKernel.preferred()
    }

    /// The block sizes in force.
    static func gemmBlocking() -> GemmBlocking {
        if blockingOverridden.load(ordering: .relaxed), let o = blockingOverride.withLock({ $0 }) { return o }
        return hostBlocking
    }

    /// Runs `body` with `blocking` in place of the host's block sizes (tests: small blocks cross every edge with
    /// small products). Not for concurrent use with other products.
    static func withGemmBlocking<T>(_ blocking: GemmBlocking, _ body: () throws -> T) rethrows -> T {
        blockingOverride.withLock { $0 = blocking }
        blockingOverridden.store(true, ordering: .relaxed)
        defer { blockingOverridden.store(false, ordering: .relaxed); blockingOverride.withLock { $0 = nil } }
        return try body()
    }
}
