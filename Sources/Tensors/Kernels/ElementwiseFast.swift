// The fast bodies of the element-wise and row-wise kernels (the public entry points in Elementwise.swift call these).
// SIMD16 loops over raw pointers with the polynomial exp/tanh/erf of SIMDMath.swift; inputs of ≥ 64 Ki elements are
// split over the worker pool (rows for row-wise ops, 1 Ki-element blocks for element-wise ops). Sums run in Float
// SIMD lanes (the references use Double); tests bound the difference. Every output element is computed the same
// way whatever the thread count, including LayerNorm's dgamma/dbeta (per-chunk partials of a fixed 32 rows, added
// in chunk order), so results are bit-identical across thread counts.
// Leaves out: fusing these passes with neighbouring GEMMs.

/// Inputs with fewer elements than this run on the calling thread.
let elementwiseParallelMin = 1 << 16

/// Splits `0..<n` into 1024-element blocks over the pool when n is large; `body(start, end)`.
@inline(__always)
func forBlocks(_ n: Int, _ body: (Int, Int) -> Void) {
    if n < elementwiseParallelMin || Kernels.threadCount == 1 { body(0, n); return }
    let blocks = (n + 1023) / 1024
    Kernels.parallelFor(count: blocks, minChunk: 16) { r in body(r.lowerBound * 1024, Swift.min(n, r.upperBound * 1024)) }
}

/// Runs `body(row)` for every row, over the pool when rows·cols is large.
@inline(__always)
func forRows(_ rows: Int, _ cols: Int, _ body: (Int) -> Void) {
    if rows * cols < elementwiseParallelMin || rows < 2 || Kernels.threadCount == 1 {
        for r in 0..<rows { body(r) }
        return
    }
    Kernels.parallelFor(count: rows, minChunk: Swift.max(1, 8192 / Swift.max(1, cols))) { range in
        for r in range { body(r) }
    }
}

@inline(__always)
func horizontalSum(_ v: Vec) -> Float {
    let a = v.lowHalf + v.highHalf, b = a.lowHalf + a.highHalf, c = b.lowHalf + b.highHalf
    return c[0] + c[1]
}

/// Lane-wise maximum. The standard library's `pointwiseMax` is scalarised (NaN rules per lane): 70× slower.
@inline(__always)
func vmax(_ a: Vec, _ b: Vec) -> Vec { a.replacing(with: b, where: b .> a) }

@inline(__always)
func horizontalMax(_ v: Vec) -> Float {
    var m = v[0]
    for i in 1..<16 where v[i] > m { m = v[i] }
    return m
}

extension Kernels {
    static func expFast(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count n: Int) {
        forBlocks(n) { s, e in mapVectors(x + s, y + s, e - s) { vexp($0) } }
    }

    static func tanhFast(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count n: Int) {
        forBlocks(n) { s, e in mapVectors(x + s, y + s, e - s) { vtanh($0) } }
    }

    static func geluFast(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count n: Int) {
        forBlocks(n) { s, e in
            mapVectors(x + s, y + s, e - s) { v in
                (v * vsplat(0.5)).addingProduct(v * vsplat(0.5), verf(v * vsplat(0.70710678118654752)))
            }
        }
    }

    static func geluBackwardFast(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                                 _ dx: UnsafeMutablePointer<Float>, count n: Int) {
        @inline(__always) func grad(_ v: Vec, _ g: Vec) -> Vec {
            let cdf = vsplat(0.5).addingProduct(vsplat(0.5), verf(v * vsplat(0.70710678118654752)))
            let pdf = vexp(v * v * vsplat(-0.5)) * vsplat(0.39894228040143268)
            return g * cdf.addingProduct(v, pdf)
        }
        forBlocks(n) { s, e in
            var i = s
            while i + 16 <= e { storeVector(grad(loadVector(x + i), loadVector(dy + i)), dx + i); i += 16 }
            if i < e { storePartial(grad(loadPartial(x + i, e - i, fill: 0), loadPartial(dy + i, e - i, fill: 0)),
                                    dx + i, e - i) }
        }
    }

    /// Softmax of each row of x, or of x + mask when `mask` is given: row r adds mask row r / `rowsPerMaskRow` (an
    /// attention mask [B,1,1,S] against scores [B,A,S,S]), summed in the same Float lanes as a separate addition would,
    /// so that the result is bit-identical to adding first — one pass over the scores less.
    static func softmaxRowsFast(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int,
                                mask: UnsafePointer<Float>? = nil, rowsPerMaskRow: Int = 1) {
        guard cols > 0 else { return }
        forRows(rows, cols) { r in
            let xr = x + r * cols, yr = y + r * cols
            let mr = mask.map { $0 + (r / rowsPerMaskRow) * cols }
            let full = cols & ~15, tail = cols - full
            @inline(__always) func load(_ j: Int) -> Vec {
                if let mr { return loadVector(xr + j) + loadVector(mr + j) }
                return loadVector(xr + j)
            }
            @inline(__always) func loadTail() -> Vec {
                if let mr { return loadPartial(xr + full, tail, fill: -.infinity) + loadPartial(mr + full, tail, fill: 0) }
                return loadPartial(xr + full, tail, fill: -.infinity)
            }
            var mv = vsplat(-.infinity)
            var j = 0
            while j < full { mv = vmax(mv, load(j)); j += 16 }
            if tail > 0 { mv = vmax(mv, loadTail()) }
            let mx = horizontalMax(mv)
            if mx == -.infinity { yr.update(repeating: 0, count: cols); return }
            let m = vsplat(mx)
            var sv = Vec()
            j = 0
            while j < full { let e = vexp(load(j) - m); storeVector(e, yr + j); sv += e; j += 16 }
            if tail > 0 {
                let e = vexp(loadTail() - m)   // padding lanes give exp(−∞) = 0
                storePartial(e, yr + full, tail); sv += e
            }
            let inv = vsplat(1 / horizontalSum(sv))
            j = 0
            while j < full { storeVector(loadVector(yr + j) * inv, yr + j); j += 16 }
            for t in full..<cols { yr[t] *= inv[0] }
        }
    }

    static func softmaxRowsBackwardFast(_ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                                        _ dx: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        forRows(rows, cols) { r in
            let yr = y + r * cols, dyr = dy + r * cols, dxr = dx + r * cols
            let full = cols & ~15
            var dv = Vec()
            var j = 0
            while j < full { dv = dv.addingProduct(loadVector(dyr + j), loadVector(yr + j)); j += 16 }
            var dot = horizontalSum(dv)
            for t in full..<cols { dot = dot.addingProduct(dyr[t], yr[t]) }
            let d = vsplat(dot)
            j = 0
            while j < full { storeVector(loadVector(yr + j) * (loadVector(dyr + j) - d), dxr + j); j += 16 }
            for t in full..<cols { dxr[t] = yr[t] * (dyr[t] - dot) }
        }
    }

    static func layerNormRowsFast(_ x: UnsafePointer<Float>, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
                                  _ y: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>,
                                  rstd: UnsafeMutablePointer<Float>, rows: Int, cols: Int, eps: Float) {
        guard cols > 0 else { return }
        forRows(rows, cols) { r in
            let xr = x + r * cols, yr = y + r * cols
            let full = cols & ~15
            var sv = Vec()
            var j = 0
            while j < full { sv += loadVector(xr + j); j += 16 }
            var s = horizontalSum(sv)
            for t in full..<cols { s += xr[t] }
            let mu = s / Float(cols)
            let mv = vsplat(mu)
            var qv = Vec()
            j = 0
            while j < full { let d = loadVector(xr + j) - mv; qv = qv.addingProduct(d, d); j += 16 }
            var q = horizontalSum(qv)
            for t in full..<cols { let d = xr[t] - mu; q = q.addingProduct(d, d) }
            let rs = 1 / (q / Float(cols) + eps).squareRoot()
            mean[r] = mu; rstd[r] = rs
            let rv = vsplat(rs)
            j = 0
            while j < full {
                let xh = (loadVector(xr + j) - mv) * rv
                storeVector(loadVector(beta + j).addingProduct(xh, loadVector(gamma + j)), yr + j)
                j += 16
            }
            for t in full..<cols { yr[t] = beta[t].addingProduct((xr[t] - mu) * rs, gamma[t]) }
        }
    }

    static func layerNormRowsBackwardFast(_ x: UnsafePointer<Float>, mean: UnsafePointer<Float>,
                                          rstd: UnsafePointer<Float>, gamma: UnsafePointer<Float>,
                                          _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                                          dgamma: UnsafeMutablePointer<Float>, dbeta: UnsafeMutablePointer<Float>,
                                          rows: Int, cols: Int) {
        guard rows > 0, cols > 0 else { return }
        let chunkRows = 32
        let chunks = (rows + chunkRows - 1) / chunkRows
        // partials[c] = (dgamma part, dbeta part) of chunk c, each `cols` floats.
        let partials = UnsafeMutablePointer<Float>.allocate(capacity: chunks * 2 * cols)
        defer { partials.deallocate() }
        partials.initialize(repeating: 0, count: chunks * 2 * cols)
        let full = cols & ~15
        let work = { (range: Range<Int>) in
            for c in range {
                let pg = partials + c * 2 * cols, pb = pg + cols
                for r in (c * chunkRows)..<Swift.min(rows, (c + 1) * chunkRows) {
                    let xr = x + r * cols, dyr = dy + r * cols, dxr = dx + r * cols
                    let mu = mean[r], rs = rstd[r]
                    let mv = vsplat(mu), rv = vsplat(rs)
                    var gv = Vec(), gxv = Vec()
                    var j = 0
                    while j < full {
                        let xh = (loadVector(xr + j) - mv) * rv, d = loadVector(dyr + j)
                        let g = d * loadVector(gamma + j)
                        gv += g; gxv = gxv.addingProduct(g, xh)
                        storeVector(loadVector(pg + j).addingProduct(d, xh), pg + j)
                        storeVector(loadVector(pb + j) + d, pb + j)
                        j += 16
                    }
                    var sg = horizontalSum(gv), sgx = horizontalSum(gxv)
                    for t in full..<cols {
                        let xh = (xr[t] - mu) * rs, d = dyr[t], g = d * gamma[t]
                        sg += g; sgx = sgx.addingProduct(g, xh)
                        pg[t] = pg[t].addingProduct(d, xh); pb[t] += d
                    }
                    let meanG = vsplat(sg / Float(cols)), meanGX = vsplat(sgx / Float(cols))
                    j = 0
                    while j < full {
                        let xh = (loadVector(xr + j) - mv) * rv
                        let g = loadVector(dyr + j) * loadVector(gamma + j)
                        storeVector(rv * (g - meanG - xh * meanGX), dxr + j)
                        j += 16
                    }
                    for t in full..<cols {
                        let xh = (xr[t] - mu) * rs, g = dyr[t] * gamma[t]
                        dxr[t] = rs * (g - meanG[0] - xh * meanGX[0])
                    }
                }
            }
        }
        if rows * cols < elementwiseParallelMin || Kernels.threadCount == 1 {
            work(0..<chunks)
        } else {
            Kernels.parallelFor(count: chunks, minChunk: 1, work)
        }
        for c in 0..<chunks {
            let pg = partials + c * 2 * cols, pb = pg + cols
            var j = 0
            while j < full {
                storeVector(loadVector(dgamma + j) + loadVector(pg + j), dgamma + j)
                storeVector(loadVector(dbeta + j) + loadVector(pb + j), dbeta + j)
                j += 16
            }
            for t in full..<cols { dgamma[t] += pg[t]; dbeta[t] += pb[t] }
        }
    }

    static func adamStepFast(param: UnsafeMutablePointer<Float>, grad: UnsafePointer<Float>,
                             m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, count n: Int,
                             lr: Float, beta1: Float, beta2: Float, eps: Float, decoupledWeightDecay: Float,
                             step: Int) {
        // Bias corrections in Double (as the reference), folded into two scale factors.
        let p1 = Glibc_powD(Double(beta1), Double(step)), p2 = Glibc_powD(Double(beta2), Double(step))
        let ic1 = Float(1 / (1 - p1)), ic2 = Float(1 / (1 - p2))
        let b1 = vsplat(beta1), ob1 = vsplat(1 - beta1), b2 = vsplat(beta2), ob2 = vsplat(1 - beta2)
        let c1 = vsplat(ic1), c2 = vsplat(ic2), ev = vsplat(eps), wd = vsplat(decoupledWeightDecay)
        let nlr = vsplat(-lr)
        forBlocks(n) { s, e in
            var i = s
            while i + 16 <= e {
                let g = loadVector(grad + i), p = loadVector(param + i)
                let mi = (ob1 * g).addingProduct(b1, loadVector(m + i))
                let vi = (ob2 * g * g).addingProduct(b2, loadVector(v + i))
                storeVector(mi, m + i); storeVector(vi, v + i)
                let upd = (mi * c1) / (vsqrt(vi * c2) + ev) + wd * p
                storeVector(p.addingProduct(nlr, upd), param + i)
                i += 16
            }
            while i < e {
                let g = grad[i], p = param[i]
                let mi = ((1 - beta1) * g).addingProduct(beta1, m[i])
                let vi = ((1 - beta2) * g * g).addingProduct(beta2, v[i])
                m[i] = mi; v[i] = vi
                let upd = (mi * ic1) / ((vi * ic2).squareRoot() + eps) + decoupledWeightDecay * p
                param[i] = p.addingProduct(-lr, upd)
                i += 1
            }
        }
    }
}
