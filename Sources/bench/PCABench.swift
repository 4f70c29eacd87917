// `bench pca`: PCA fit on a 20,000 × 384 matrix with a decaying spectrum (std e^(−j/64) along 384 directions mixed
// by three random Householder reflections, seed 7), against scikit-learn's PCA(svd_solver='full') and
// ('covariance_eigh'), with the same thread count. The matrix is written once to a temporary float32 file that the
// peer reads, so both sides fit identical data. Also times the two stages (covariance, eigensolver) against numpy.
// The peer runs with OpenBLAS's own CPU detection and, on a CPU with AVX-512, again with OPENBLAS_CORETYPE=SkylakeX
// (its best there; OpenBLAS takes Zen 4/5 for Haswell), each as a session (Sources/bench/peers/pca.py) that the
// rounds alternate with: 7 paired rounds per case (3 with --quick), each side timed for 0.3 s (0.1 s).
import Foundation
import Tensors
import PCA

func benchPCA(_ ctx: BenchContext) throws {
    let threads = benchThreads(ctx)
    let savedThreads = Kernels.threadCount
    Kernels.threadCount = threads          // the Swift side runs on as many threads as the peer
    defer { Kernels.threadCount = savedThreads }
    let n = ctx.option("rows").flatMap(Int.init) ?? 20_000
    let d = ctx.option("dim").flatMap(Int.init) ?? 384
    let x = pcaBenchMatrix(n: n, d: d, seed: 7)
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("bench-pca-\(getpid()).f32").path
    try Data(bytes: x.pointer, count: n * d * 4).write(to: URL(fileURLWithPath: file))
    defer { try? FileManager.default.removeItem(atPath: file) }

    // Paired, as `bench gemm`: each round times our side and then each peer setting (the order alternating), case
    // by case, so that a busy spell of the shared host hits both sides of a round alike; a ratio is the median of the
    // per-round ratios, with its interquartile range.
    let rounds = ctx.quick ? 3 : 7
    let minTime = ctx.quick ? 0.1 : 0.3
    var model: PCAModel? = nil
    let stats = try CovarianceStats(x)
    let configs: [(label: String, coretype: String?)] = [("", nil)] + (bestOpenBLASCoreType().map { [(", \($0)", $0)] } ?? [])
    let env = ["OMP_NUM_THREADS": "\(threads)", "OPENBLAS_NUM_THREADS": "\(threads)", "MKL_NUM_THREADS": "\(threads)"]
    var sessions: [PeerSession] = []
    defer { for s in sessions { s.close() } }
    for (_, coretype) in configs {
        var e = env
        if let c = coretype { e["OPENBLAS_CORETYPE"] = c }
        sessions.append(try PeerSession("pca.py", [file, "\(n)", "\(d)", "serve"], environment: e))
    }
    let shape = "\(n)×\(d)"
    // (our case, the peer's, the row's name, the peer's name)
    let cases: [(ours: () throws -> Void, peer: String, row: String, peerName: String)] = [
        ({ model = try PCAModel.fit(x) }, "full", "fit \(shape)", "sklearn full"),
        ({ model = try PCAModel.fit(x) }, "covariance_eigh", "fit \(shape)", "sklearn covariance_eigh"),
        ({ _ = try CovarianceStats(x) }, "numpy_cov", "covariance \(shape)", "numpy Xcᵀ·Xc (f32)"),
        ({ _ = try SymmetricEigen(symmetric: stats.covariance, order: d) }, "numpy_eigh", "eigensolver \(d)×\(d)",
         "numpy eigh (f64)"),
    ]
    for (ours, peerCase, rowName, peerName) in cases {
        var swift: [Double] = []
        var peers = Array(repeating: [Double](), count: sessions.count)
        var missing = false
        for round in 0..<rounds {
            func runOurs() throws { swift.append(try measure(warmup: 1, minRounds: 1, minTime: minTime, ours)) }
            if round % 2 == 0 { try runOurs() }
            for (i, session) in sessions.enumerated() where !missing {
                let answer = try session.request(["case": peerCase, "seconds": minTime])
                if answer["missing"] != nil { missing = true; break }
                guard let seconds = answer["seconds"] as? Double else {
                    throw BenchError("peer pca.py: no seconds in \(answer)")
                }
                peers[i].append(seconds)
            }
            if round % 2 == 1 { try runOurs() }
            if missing { break }
        }
        if missing { print("\(peerName): not in this scikit-learn; row left out"); continue }
        for (i, config) in configs.enumerated() {
            var row = BenchRow(case: rowName, swift: median(swift) * 1e3, peer: median(peers[i]) * 1e3,
                               peerName: peerName + config.label, unit: "ms", higherIsBetter: false, threads: threads)
            row.pairedRatio = quartiles(zip(swift, peers[i]).map { $1 / $0 })
            ctx.record(row)
        }
    }
    // Agreement on the same data (not timed): the largest relative gap in the top 32 explained variances.
    if let m = model, let ev = try sessions[0].request(["case": "explained"])["top32"] as? [Double] {
        let gap = zip(m.explainedVariance, ev).map { abs($0 - $1) / $1 }.max() ?? 0
        print("check: max relative gap of the top-32 explained variances vs sklearn full: \(String(format: "%.2e", gap))")
    }
}

/// [n × d]: z·diag(e^(−j/64)) with z standard Gaussian (seeded), then three Householder reflections
/// x ← x − 2(x·v)vᵀ with random unit v (the same recipe needs no d×d rotation matrix).
func pcaBenchMatrix(n: Int, d: Int, seed: UInt64) -> Tensor {
    var rng = Xoshiro256(seed: seed)
    let x = Tensor(zeros: [n, d])
    let p = x.pointer
    let scale = (0..<d).map { Float(exp(-Double($0) / 64)) }
    for i in 0..<n { for j in 0..<d { p[i * d + j] = rng.nextGaussian() * scale[j] } }
    for _ in 0..<3 {
        var v = (0..<d).map { _ in rng.nextGaussian() }
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        v = v.map { $0 / norm }
        for i in 0..<n {
            var dot: Float = 0
            for j in 0..<d { dot += p[i * d + j] * v[j] }
            for j in 0..<d { p[i * d + j] -= 2 * dot * v[j] }
        }
    }
    return x
}
