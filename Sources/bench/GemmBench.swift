// `bench gemm`: Kernels.sgemm GFLOP/s against numpy/OpenBLAS in the same run, on transformer-sized shapes.
//   swift run -c release bench gemm [--threads N] [--quick]
// Without --threads it runs at 1 and at 2 threads. `--rounds R` (default 3, 1 with --quick) interleaves R rounds of
// (Swift, peer SkylakeX, peer auto) over all shapes and reports medians, so a busy spell of the shared host hits both
// sides alike. The peer runs twice per thread count: with
// OPENBLAS_CORETYPE=SkylakeX (its AVX-512 kernels, the target) and with OpenBLAS's own detection (which picks its
// Haswell/AVX2 kernels on this Zen 5), with OPENBLAS_NUM_THREADS = OMP_NUM_THREADS = the Swift thread count.
// `--cputime` (1 thread only): both sides time with the thread's CPU clock instead of the wall clock, which takes out
// most of the time-slicing when the shared host is busy (cache sharing with other processes is still in the number).
// Shapes are M×K×N: C[M×N] = op(A)[M×K] · op(B)[K×N]. Rows: `<T> M×K×N`, ratio = Swift ÷ peer (> 1: Swift faster).
// `--shapes TN:128x256x384,NN:64x64x64` replaces the default list (for looking into one case).
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
    let minTime = ctx.quick ? 0.1 : 0.4
    let shapes = try ctx.option("shapes").map(parseGemmShapes) ?? gemmBenchShapes
    let cpuTime = ctx.flag("cputime")
    if cpuTime && threadList != [1] { throw BenchError("--cputime needs --threads 1") }
    let caseJSON = String(decoding: try JSONSerialization.data(withJSONObject: shapes.map {
        ["name": $0.name, "m": $0.m, "k": $0.k, "n": $0.n, "transA": $0.transA, "transB": $0.transB] as [String: Any]
    }), as: UTF8.self)
    var rng = Xoshiro256(seed: 1)
    let rounds = ctx.option("rounds").flatMap(Int.init) ?? (ctx.quick ? 1 : 3)
    print("bench gemm: \(shapes.count) shapes × threads \(threadList), \(rounds) interleaved rounds (Swift, peer "
          + "SkylakeX, peer auto); median GFLOP/s over rounds (higher is better)")
    let operands = shapes.map { s in
        ((0..<(s.m * s.k)).map { _ in rng.nextFloat() - 0.5 }, (0..<(s.k * s.n)).map { _ in rng.nextFloat() - 0.5 })
    }
    let peerConfigs: [(String, String?)] = [("OpenBLAS SkylakeX", "SkylakeX"), ("OpenBLAS auto", nil)]
    for threads in threadList {
        Kernels.threadCount = threads
        var swift: [String: [Double]] = [:]
        var peers: [String: [String: [Double]]] = [:]
        for _ in 0..<rounds {
            for (s, (a, b)) in zip(shapes, operands) {
                var c = [Float](repeating: 0, count: s.m * s.n)
                let lda = s.transA ? s.m : s.k, ldb = s.transB ? s.k : s.n
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
                swift[s.name, default: []].append(s.flops / seconds / 1e9)
            }
            for (label, coretype) in peerConfigs {
                var env = ["OPENBLAS_NUM_THREADS": "\(threads)", "OMP_NUM_THREADS": "\(threads)"]
                if let coretype { env["OPENBLAS_CORETYPE"] = coretype }
                do {
                    let out = try runPeer("gemm.py", [caseJSON, "\(minTime)"] + (cpuTime ? ["cputime"] : []),
                                          environment: env) as? [String: Any]
                    for (name, value) in (out?["gflops"] as? [String: Double]) ?? [:] {
                        peers[label, default: [:]][name, default: []].append(value)
                    }
                } catch {
                    print("peer \(label) unavailable: \(error)")
                }
            }
        }
        for s in shapes {
            for (label, _) in peerConfigs {
                ctx.record(BenchRow(case: s.name, swift: median(swift[s.name] ?? [0]),
                                    peer: peers[label]?[s.name].map(median),
                                    peerName: "numpy " + label + (cpuTime ? ", CPU time" : ""), unit: "GFLOP/s",
                                    higherIsBetter: true, threads: threads))
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
