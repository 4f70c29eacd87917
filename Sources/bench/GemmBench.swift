// `bench gemm`: Kernels.sgemm GFLOP/s against numpy/OpenBLAS in the same run, on transformer-sized shapes.
//   swift run -c release bench gemm [--threads N] [--quick] [--cputime] [--rounds R] [--shapes …]
// Without --threads it runs at 1 and at 2 threads. Measurements are paired: the peer runs as a session (two of them,
// one per OpenBLAS setting, kept alive for the thread count), and for each shape the benchmark alternates Swift, peer
// SkylakeX where the CPU has AVX-512, and peer auto, R rounds (default 5; 3 with --quick, which also times each side for 0.1 s instead of
// 0.3 s). Each round gives a Swift ÷ peer ratio from measurements seconds apart, so that a busy spell of the shared
// host (whose speed drifts by 10–20 % over minutes) hits both sides alike; the ratio reported is the median of the
// per-round ratios, with their interquartile range. GFLOP/s columns are medians over rounds.
// The peer runs with OpenBLAS's own CPU detection ("auto") and, on a CPU with AVX-512, also with
// OPENBLAS_CORETYPE=SkylakeX (OpenBLAS takes Zen 4/5 for Haswell and would use its AVX2 kernels there); never SkylakeX
// on a core without AVX-512, where it dies with SIGILL. OPENBLAS_NUM_THREADS = OMP_NUM_THREADS = the Swift thread
// count. The ratio to compare with a target is the one against the faster peer setting.
// `--cputime` (1 thread only): both sides time with the thread's CPU clock instead of the wall clock, which takes out
// most of the time-slicing when the shared host is busy (cache sharing with other processes is still in the number).
// Shapes are M×K×N: C[M×N] = op(A)[M×K] · op(B)[K×N]. Rows: `<T> M×K×N`, ratio = Swift ÷ peer (> 1: Swift faster).
// `--shapes TN:128x256x384,NN:64x64x64` replaces the default list (for looking into one case).
// First and last rows: the host's single-thread copy bandwidth (64 MiB), which says how loaded the shared memory
// system was during the run, and one thread's FMA ceiling (CPU time), which follows the core's clock.
import Foundation
import Tensors

struct GemmShape {
    let m: Int, k: Int, n: Int
    let transA: Bool, transB: Bool
    var name: String { "\(transA ? "T" : "N")\(transB ? "T" : "N") \(m)×\(k)×\(n)" }
    var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
}

let gemmBenchShapes: [GemmShape] = [
    GemmShape(m: 4096, k: 384, n: 1152, transA: false, transB: false),   // QKV, H = 384
    GemmShape(m: 4096, k: 1536, n: 384, transA: false, transB: false),   // FFN down
    GemmShape(m: 4096, k: 384, n: 384, transA: false, transB: false),    // attention output
    GemmShape(m: 512, k: 768, n: 768, transA: false, transB: false),
    GemmShape(m: 64, k: 64, n: 64, transA: false, transB: false),        // one attention head
    GemmShape(m: 128, k: 64, n: 128, transA: false, transB: false),      // scores, S = 128
    GemmShape(m: 64, k: 64, n: 64, transA: false, transB: true),         // Q·Kᵀ of one head
    // Training transposes: weight gradient (TN: Xᵀ·dY) and input gradient (NT: dY·Wᵀ).
    GemmShape(m: 384, k: 4096, n: 1152, transA: true, transB: false),
    GemmShape(m: 4096, k: 1152, n: 384, transA: false, transB: true),
    GemmShape(m: 1536, k: 4096, n: 384, transA: true, transB: false),
    GemmShape(m: 4096, k: 384, n: 1536, transA: false, transB: true),
    GemmShape(m: 4096, k: 384, n: 1152, transA: true, transB: false),
    GemmShape(m: 4096, k: 384, n: 1152, transA: false, transB: true),
    GemmShape(m: 4096, k: 1536, n: 384, transA: true, transB: false),
    GemmShape(m: 4096, k: 1536, n: 384, transA: false, transB: true),
]

/// The products of `bench train`'s step (length groups of ≤ 512 padded tokens: linear layers on 384 or 96 rows,
/// attention one head of one sequence), as a `--shapes` value: the docs' "products of a training step" tables.
let gemmTrainShapes = "NT:384x384x384,NT:384x384x1536,NT:384x1536x384,NN:384x384x384,NN:384x1536x384,"
    + "NN:384x384x1536,TN:384x384x384,TN:1536x384x384,TN:384x384x1536,NT:96x384x384,NN:96x384x384,TN:384x96x384,"
    + "NT:128x32x128,NN:128x128x32,TN:128x128x32"

/// "TN:128x256x384,NN:64x64x64" → shapes (transposes of A and B, then M×K×N).
func parseGemmShapes(_ text: String) throws -> [GemmShape] {
    try text.split(separator: ",").map { item in
        let parts = item.split(separator: ":")
        let dims = parts.count == 2 ? parts[1].split(whereSeparator: { $0 == "x" || $0 == "×" }).compactMap { Int($0) } : []
        guard parts.count == 2, parts[0].count == 2, parts[0].allSatisfy({ $0 == "N" || $0 == "T" }), dims.count == 3,
              dims.allSatisfy({ $0 > 0 }) else {
            throw BenchError("--shapes: '\(item)' is not a shape; expected e.g. TN:128x256x384 (transposes, then M×K×N)")
        }
        return GemmShape(m: dims[0], k: dims[1], n: dims[2], transA: parts[0].first == "T", transB: parts[0].last == "T")
    }
}

func benchGemm(_ ctx: BenchContext) throws {
    let threadList = ctx.option("threads").flatMap(Int.init).map { [$0] } ?? [1, 2]
    let minTime = ctx.quick ? 0.1 : 0.3
    let shapes = try ctx.option("shapes").map(parseGemmShapes) ?? gemmBenchShapes
    let cpuTime = ctx.flag("cputime")
    if cpuTime && threadList != [1] { throw BenchError("--cputime needs --threads 1") }
    let caseJSON = String(decoding: try JSONSerialization.data(withJSONObject: shapes.map {
        ["name": $0.name, "m": $0.m, "k": $0.k, "n": $0.n, "transA": $0.transA, "transB": $0.transB] as [String: Any]
    }), as: UTF8.self)
    var rng = Xoshiro256(seed: 1)
    let rounds = ctx.option("rounds").flatMap(Int.init) ?? (ctx.quick ? 3 : 5)
    let peerConfigs: [(String, String?)] = (bestOpenBLASCoreType().map { [("OpenBLAS \($0)", $0)] } ?? [])
        + [("OpenBLAS auto", nil)]
    print("bench gemm: \(shapes.count) shapes × threads \(threadList), \(rounds) paired rounds per shape (Swift, "
          + peerConfigs.map { "peer " + $0.0 }.joined(separator: ", ")
          + ", alternating); ratio = median of per-round ratios (higher is better)")
    // The host's memory bandwidth before and after: the TN ratios move with it (Docs/Tensors.md).
    // And its compute ceiling (one thread's FMA rate, which follows the core's clock): GEMM rows can be read as a
    // fraction of it.
    func recordHost(_ when: String) {
        ctx.record(BenchRow(case: "host: copy 64 MiB, \(when)", swift: hostCopyBandwidth(), peer: nil, peerName: nil,
                            unit: "GB/s", higherIsBetter: true, threads: 1))
        ctx.record(BenchRow(case: "host: FMA ceiling 1 thread, \(when)", swift: hostFMACeiling(), peer: nil,
                            peerName: nil, unit: "GFLOP/s", higherIsBetter: true, threads: 1))
    }
    recordHost("before")
    defer { recordHost("after") }
    for threads in threadList {
        Kernels.threadCount = threads
        var sessions: [PeerSession?] = []
        for (label, coretype) in peerConfigs {
            var env = ["OPENBLAS_NUM_THREADS": "\(threads)", "OMP_NUM_THREADS": "\(threads)"]
            if let coretype { env["OPENBLAS_CORETYPE"] = coretype }
            do { sessions.append(try PeerSession("gemm.py", [caseJSON, "serve"], environment: env)) } catch {
                print("peer \(label) unavailable: \(error)"); sessions.append(nil)
            }
        }
        defer { for session in sessions { session?.close() } }
        for s in shapes {
            let a = (0..<(s.m * s.k)).map { _ in rng.nextFloat() - 0.5 }, b = (0..<(s.k * s.n)).map { _ in rng.nextFloat() - 0.5 }
            var c = [Float](repeating: 0, count: s.m * s.n)
            let lda = s.transA ? s.m : s.k, ldb = s.transB ? s.k : s.n
            var swift: [Double] = []
            var peers = Array(repeating: [Double](), count: peerConfigs.count)
            for round in 0..<rounds {
                func runSwift() {
                    let seconds = a.withUnsafeBufferPointer { pa in
                        b.withUnsafeBufferPointer { pb in
                            c.withUnsafeMutableBufferPointer { pc in
                                measureGemm(cpuTime: cpuTime, minTime: minTime) {
                                    Kernels.sgemm(transA: s.transA, transB: s.transB, m: s.m, n: s.n, k: s.k,
                                                  a: pa.baseAddress!, lda: lda, b: pb.baseAddress!, ldb: ldb,
                                                  c: pc.baseAddress!, ldc: s.n)
                                }
                            }
                        }
                    }
                    swift.append(s.flops / seconds / 1e9)
                }
                if round % 2 == 0 { runSwift() }   // alternate who goes first, so that drift within a round cancels
                for (i, session) in sessions.enumerated() {
                    guard let session else { continue }
                    let answer = try session.request(["case": s.name, "seconds": minTime, "cputime": cpuTime])
                    guard let value = answer["gflops"] as? Double else {
                        throw BenchError("peer gemm.py: no gflops in \(answer)")
                    }
                    peers[i].append(value)
                }
                if round % 2 == 1 { runSwift() }
            }
            for (i, (label, _)) in peerConfigs.enumerated() {
                var row = BenchRow(case: s.name, swift: median(swift), peer: peers[i].isEmpty ? nil : median(peers[i]),
                                   peerName: "numpy " + label + (cpuTime ? ", CPU time" : ""), unit: "GFLOP/s",
                                   higherIsBetter: true, threads: threads)
                if peers[i].count == swift.count {
                    row.pairedRatio = quartiles(zip(swift, peers[i]).map { $0 / $1 })
                }
                ctx.record(row)
            }
        }
    }
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// Median seconds per call, by the wall clock or (cpuTime) by this thread's CPU clock.
func measureGemm(cpuTime: Bool, minTime: Double, _ body: () -> Void) -> Double {
    if !cpuTime { return measure(minTime: minTime, body) }
    func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
    body(); body()
    var times: [Double] = []
    let start = now()
    while times.count < 5 || now() - start < minTime {
        let t0 = now(); body(); times.append(now() - t0)
    }
    times.sort()
    return times[times.count / 2]
}
