// `bench pca`: PCA fit on a 20,000 × 384 matrix with a decaying spectrum (std e^(−j/64) along 384 directions mixed
// by three random Householder reflections, seed 7), against scikit-learn's PCA(svd_solver='full') and
// ('covariance_eigh'), with the same thread count. The matrix is written once to a temporary float32 file that the
// peer reads, so both sides fit identical data. Also times the two stages (covariance, eigensolver) against numpy.
// The peer runs with OpenBLAS's own CPU detection and, on a CPU with AVX-512, again with OPENBLAS_CORETYPE=SkylakeX
// (its best there; OpenBLAS takes Zen 4/5 for Haswell).
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

    let rounds = ctx.quick ? 1 : 3
    var model: PCAModel? = nil
    let fit = try measure(warmup: ctx.quick ? 0 : 1, minRounds: rounds, minTime: 0) { model = try PCAModel.fit(x) }
    let stats = try CovarianceStats(x)
    let cov = measure(warmup: 0, minRounds: rounds, minTime: 0) { _ = try? CovarianceStats(x) }
    let eig = try measure(warmup: 0, minRounds: rounds, minTime: 0) { _ = try SymmetricEigen(symmetric: stats.covariance, order: d) }

    // The peer with OpenBLAS's own CPU detection and, where the CPU has AVX-512, again at its best,
    // OPENBLAS_CORETYPE=SkylakeX, as `bench gemm` does. Rows name which.
    let env = ["OMP_NUM_THREADS": "\(threads)", "OPENBLAS_NUM_THREADS": "\(threads)", "MKL_NUM_THREADS": "\(threads)"]
    var peer: [String: Any] = [:]
    let shape = "\(n)×\(d)"
    let configs: [(String, String?)] = [("", nil)] + (bestOpenBLASCoreType().map { [(", \($0)", $0)] } ?? [])
    for (label, coretype) in configs {
        var e = env
        if let c = coretype { e["OPENBLAS_CORETYPE"] = c }
        let result = try runPeer("pca.py", [file, "\(n)", "\(d)", "\(rounds)"], environment: e) as? [String: Any] ?? [:]
        if coretype == nil { peer = result }
        func peerMs(_ key: String) -> Double? { (result[key] as? Double).map { $0 * 1e3 } }
        ctx.record(BenchRow(case: "fit \(shape)", swift: fit * 1e3, peer: peerMs("full"),
                            peerName: "sklearn full\(label)", unit: "ms", higherIsBetter: false, threads: threads))
        if let e = peerMs("covariance_eigh") {
            ctx.record(BenchRow(case: "fit \(shape)", swift: fit * 1e3, peer: e,
                                peerName: "sklearn covariance_eigh\(label)", unit: "ms", higherIsBetter: false, threads: threads))
        }
        ctx.record(BenchRow(case: "covariance \(shape)", swift: cov * 1e3, peer: peerMs("numpy_cov"),
                            peerName: "numpy Xcᵀ·Xc (f32)\(label)", unit: "ms", higherIsBetter: false, threads: threads))
        ctx.record(BenchRow(case: "eigensolver \(d)×\(d)", swift: eig * 1e3, peer: peerMs("numpy_eigh"),
                            peerName: "numpy eigh (f64)\(label)", unit: "ms", higherIsBetter: false, threads: threads))
    }
    // Agreement on the same data (not timed): the largest relative gap in the top 32 explained variances.
    if let m = model, let ev = peer["explained_variance_top32"] as? [Double] {
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
