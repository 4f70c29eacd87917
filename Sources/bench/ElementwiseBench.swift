// `bench elementwise`: ns per element of the fast element-wise kernels (exp, tanh, GELU, GELU backward, softmax rows,
// LayerNorm rows, Adam) against numpy (+ scipy.special.erf for GELU; numpy ufuncs are single-threaded) and against
// the package's own readable reference kernels (libm per element, Double sums).
//   swift run -c release bench elementwise [--threads N] [--quick]
// Sizes: 4096×1536 values (one FFN activation at H = 384, 64 docs × 64 tokens), softmax over 49152 rows of 64
// (64 docs × 12 heads × 64 queries), LayerNorm over 4096 rows of 384. Lower is better; ratio = peer ÷ Swift.
import Foundation
import Tensors

func benchElementwise(_ ctx: BenchContext) throws {
    let threadList = ctx.option("threads").flatMap(Int.init).map { [$0] } ?? [1, 2]
    let minTime = ctx.quick ? 0.1 : 0.3
    let n = 4096 * 1536, rows = 49152, cols = 64, lnRows = 4096, lnCols = 384
    var rng = Xoshiro256(seed: 3)
    let x = (0..<n).map { _ in rng.nextGaussian() }, dy = (0..<n).map { _ in rng.nextGaussian() }
    var y = [Float](repeating: 0, count: n)
    var param = (0..<n).map { _ in rng.nextGaussian() }
    var m = [Float](repeating: 0, count: n), v = [Float](repeating: 0, count: n)
    let gamma = [Float](repeating: 1, count: lnCols), beta = [Float](repeating: 0, count: lnCols)
    var mean = [Float](repeating: 0, count: lnRows), rstd = [Float](repeating: 0, count: lnRows)

    let px = UnsafeMutablePointer<Float>.allocate(capacity: n); px.update(from: x, count: n)
    let pdy = UnsafeMutablePointer<Float>.allocate(capacity: n); pdy.update(from: dy, count: n)
    defer { px.deallocate(); pdy.deallocate() }
    let pool: [(String, Int, (UnsafeMutablePointer<Float>, Bool) -> Void)] = [
        ("exp", n, { out, ref in ref ? Kernels.expReference(px, out, count: n) : Kernels.exp(px, out, count: n) }),
        ("tanh", n, { out, ref in ref ? Kernels.tanhReference(px, out, count: n) : Kernels.tanh(px, out, count: n) }),
        ("gelu", n, { out, ref in ref ? Kernels.geluReference(px, out, count: n) : Kernels.gelu(px, out, count: n) }),
        ("geluBackward", n, { out, ref in
            ref ? Kernels.geluBackwardReference(px, pdy, out, count: n) : Kernels.geluBackward(px, pdy, out, count: n)
        }),
        ("softmaxRows", rows * cols, { out, ref in
            ref ? Kernels.softmaxRowsReference(px, out, rows: rows, cols: cols)
                : Kernels.softmaxRows(px, out, rows: rows, cols: cols)
        }),
        ("layerNormRows", lnRows * lnCols, { out, ref in
            gamma.withUnsafeBufferPointer { g in beta.withUnsafeBufferPointer { b in
                mean.withUnsafeMutableBufferPointer { mu in rstd.withUnsafeMutableBufferPointer { rs in
                    if ref {
                        Kernels.layerNormRowsReference(px, gamma: g.baseAddress!, beta: b.baseAddress!, out,
                                                       mean: mu.baseAddress!, rstd: rs.baseAddress!, rows: lnRows,
                                                       cols: lnCols, eps: 1e-12)
                    } else {
                        Kernels.layerNormRows(px, gamma: g.baseAddress!, beta: b.baseAddress!, out,
                                              mean: mu.baseAddress!, rstd: rs.baseAddress!, rows: lnRows,
                                              cols: lnCols, eps: 1e-12)
                    }
                } }
            } }
        }),
        ("adamStep", n, { _, ref in
            param.withUnsafeMutableBufferPointer { p in m.withUnsafeMutableBufferPointer { pm in
                v.withUnsafeMutableBufferPointer { pv in
                    if ref {
                        Kernels.adamStepReference(param: p.baseAddress!, grad: pdy, m: pm.baseAddress!,
                                                  v: pv.baseAddress!, count: n, lr: 1e-4, beta1: 0.9, beta2: 0.999,
                                                  eps: 1e-8, decoupledWeightDecay: 0, step: 10)
                    } else {
                        Kernels.adamStep(param: p.baseAddress!, grad: pdy, m: pm.baseAddress!, v: pv.baseAddress!,
                                         count: n, lr: 1e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8,
                                         decoupledWeightDecay: 0, step: 10)
                    }
                } } }
        }),
    ]
    let cfg = "{\"n\": \(n), \"rows\": \(rows), \"cols\": \(cols), \"lnRows\": \(lnRows), \"lnCols\": \(lnCols)}"
    let peer = (try? runPeer("elementwise.py", [cfg, "\(minTime)"]) as? [String: Any])?["ns"] as? [String: Double]
    if peer == nil { print("numpy peer unavailable; reporting against the reference kernels only") }
    var reference: [String: Double] = [:]
    y.withUnsafeMutableBufferPointer { out in
        for (name, count, run) in pool {
            reference[name] = measure(warmup: 1, minRounds: 2, minTime: minTime) { run(out.baseAddress!, true) }
                / Double(count) * 1e9
        }
    }
    for threads in threadList {
        Kernels.threadCount = threads
        y.withUnsafeMutableBufferPointer { out in
            for (name, count, run) in pool {
                let ns = measure(minTime: minTime) { run(out.baseAddress!, false) } / Double(count) * 1e9
                ctx.record(BenchRow(case: name, swift: ns, peer: peer?[name], peerName: "numpy (1 thread)",
                                    unit: "ns/elem", higherIsBetter: false, threads: threads))
                ctx.record(BenchRow(case: name, swift: ns, peer: reference[name],
                                    peerName: "Swift reference kernel (1 thread)", unit: "ns/elem",
                                    higherIsBetter: false, threads: threads))
            }
        }
    }
}
