// Symmetric eigen-decomposition in Double: Householder reduction to tridiagonal form, then the implicit QL
// algorithm with Wilkinson-style shifts (the EISPACK tred2/tql2 pair, as in JAMA). PCA uses it on the d×d
// covariance matrix (extreme-compression paper §4.2 step 2: fit PCA on teacher embeddings).
// Leaves out: non-symmetric matrices, partial spectra (it always computes every eigenpair), complex input.
//
// Letters: n = matrix order. Cost O(n³) time, O(n²) memory; n ≤ ~1024 takes seconds at most.
// Storage: the working matrix V is column-major (V[r, c] at c·n + r), so every inner loop of both stages walks
// a contiguous column, and on return column j of V (= row j of `vectors`) is eigenvector j.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The eigenpairs of a real symmetric matrix: A·vⱼ = λⱼ·vⱼ, vectors orthonormal, values sorted descending.
public struct SymmetricEigen: Sendable, Equatable {
    /// λ₀ ≥ λ₁ ≥ … ≥ λₙ₋₁.  [n]
    public let values: [Double]
    /// Row-major [n × n]: row j is the unit eigenvector for `values[j]`. Signs are whatever the algorithm gives
    /// (deterministic for a given input); PCA fixes them afterwards (see `PCAModel.fit`).
    public let vectors: [Double]
    public let order: Int

    /// Decomposes the symmetric matrix `a` (row-major [n × n]; only symmetry is assumed, not checked beyond a
    /// precondition on finiteness). Throws `PCAError.nonFinite` for NaN/∞ entries and
    /// `PCAError.noConvergence` if QL fails to converge (not observed for finite symmetric input).
    public init(symmetric a: [Double], order n: Int) throws {
        precondition(a.count == n * n, "SymmetricEigen: expected \(n * n) entries, got \(a.count)")
        guard a.allSatisfy({ $0.isFinite }) else { throw PCAError.nonFinite(what: "matrix given to the eigensolver") }
        order = n
        if n == 0 { values = []; vectors = []; return }
        var v = a                          // symmetric, so row-major = column-major
        var d = [Double](repeating: 0, count: n)
        var e = [Double](repeating: 0, count: n)
        try v.withUnsafeMutableBufferPointer { vp in
            try d.withUnsafeMutableBufferPointer { dp in
                try e.withUnsafeMutableBufferPointer { ep in
                    householderTridiagonalize(vp.baseAddress!, dp.baseAddress!, ep.baseAddress!, n)
                    try implicitQL(vp.baseAddress!, dp.baseAddress!, ep.baseAddress!, n)
                }
            }
        }
        // Sort descending (stable on ties: keeps the algorithm's order, so results stay deterministic).
        let perm = (0..<n).sorted { d[$0] > d[$1] || (d[$0] == d[$1] && $0 < $1) }
        values = perm.map { d[$0] }
        var out = [Double](repeating: 0, count: n * n)
        for (row, j) in perm.enumerated() {
            for r in 0..<n { out[row * n + r] = v[j * n + r] }   // column j of V
        }
        vectors = out
    }
}

/// tred2: reduces the symmetric matrix in `v` to tridiagonal form T = Qᵀ·A·Q by Householder reflections, leaving
/// Q in `v` (column-major), the diagonal of T in `d` and the sub-diagonal in `e[1...]` (e[0] = 0).
private func householderTridiagonalize(_ v: UnsafeMutablePointer<Double>, _ d: UnsafeMutablePointer<Double>,
                                       _ e: UnsafeMutablePointer<Double>, _ n: Int) {
    @inline(__always) func at(_ r: Int, _ c: Int) -> UnsafeMutablePointer<Double> { v + (c * n + r) }
    for j in 0..<n { d[j] = at(n - 1, j).pointee }
    var i = n - 1
    while i > 0 {
        var scale = 0.0, h = 0.0
        for k in 0..<i { scale += abs(d[k]) }
        if scale == 0 {
            e[i] = d[i - 1]
            for j in 0..<i {
                d[j] = at(i - 1, j).pointee
                at(i, j).pointee = 0
                at(j, i).pointee = 0
            }
        } else {
            // Householder vector u = x − ‖x‖·e, scaled to avoid under/overflow.
            for k in 0..<i { d[k] /= scale; h += d[k] * d[k] }
            var f = d[i - 1]
            var g = h.squareRoot()
            if f > 0 { g = -g }
            e[i] = scale * g
            h -= f * g
            d[i - 1] = f - g
            for j in 0..<i { e[j] = 0 }
            // p = A·u / h, applied to the leading i×i block.
            for j in 0..<i {
                f = d[j]
                at(j, i).pointee = f
                g = e[j] + at(j, j).pointee * f
                let col = v + j * n
                if j + 1 < i { g += dotAndAxpy(col + (j + 1), d + (j + 1), e + (j + 1), f, i - j - 1) }
                e[j] = g
            }
            f = 0
            for j in 0..<i { e[j] /= h; f += e[j] * d[j] }
            let hh = f / (h + h)
            for j in 0..<i { e[j] -= hh * d[j] }
            // A ← A − u·qᵀ − q·uᵀ on the lower triangle.
            for j in 0..<i {
                f = d[j]; g = e[j]
                let col = v + j * n
                rank2Update(col + j, e + j, d + j, f, g, i - j)
                d[j] = at(i - 1, j).pointee
                at(i, j).pointee = 0
            }
        }
        d[i] = h
        i -= 1
    }
    // Accumulate the reflections into Q.
    for i in 0..<(n - 1) {
        at(n - 1, i).pointee = at(i, i).pointee
        at(i, i).pointee = 1
        let h = d[i + 1]
        if h != 0 {
            let next = v + (i + 1) * n
            for k in 0...i { d[k] = next[k] / h }
            for j in 0...i {
                let col = v + j * n
                let g = dot(next, col, i + 1)
                axpy(-g, d, col, i + 1)
            }
        }
        for k in 0...i { at(k, i + 1).pointee = 0 }
    }
    for j in 0..<n { d[j] = at(n - 1, j).pointee; at(n - 1, j).pointee = 0 }
    at(n - 1, n - 1).pointee = 1
    e[0] = 0
}

/// tql2: diagonalises the tridiagonal (d, e) by implicit QL sweeps with shifts, applying every Givens rotation to
/// the columns of `v`, so that on return d holds the eigenvalues (unsorted) and column j of v its eigenvector.
private func implicitQL(_ v: UnsafeMutablePointer<Double>, _ d: UnsafeMutablePointer<Double>,
                        _ e: UnsafeMutablePointer<Double>, _ n: Int) throws {
    for i in 1..<max(n, 1) { e[i - 1] = e[i] }
    e[n - 1] = 0
    var f = 0.0, tst1 = 0.0
    let eps = Double.ulpOfOne
    for l in 0..<n {
        // Find a negligible sub-diagonal element e[m] (e[n−1] = 0 guarantees one).
        tst1 = max(tst1, abs(d[l]) + abs(e[l]))
        var m = l
        while m < n - 1 && abs(e[m]) > eps * tst1 { m += 1 }
        if m > l {
            var iterations = 0
            repeat {
                iterations += 1
                if iterations > 100 { throw PCAError.noConvergence(index: l) }
                // Shift from the leading 2×2 block.
                var g = d[l]
                var p = (d[l + 1] - g) / (2 * e[l])
                var r = hypot(p, 1)
                if p < 0 { r = -r }
                d[l] = e[l] / (p + r)
                d[l + 1] = e[l] * (p + r)
                let dl1 = d[l + 1]
                var h = g - d[l]
                var i = l + 2
                while i < n { d[i] -= h; i += 1 }
                f += h
                // The QL sweep from m−1 down to l.
                p = d[m]
                var c = 1.0, c2 = 1.0, c3 = 1.0
                let el1 = e[l + 1]
                var s = 0.0, s2 = 0.0
                i = m - 1
                while i >= l {
                    c3 = c2; c2 = c; s2 = s
                    g = c * e[i]
                    h = c * p
                    r = hypot(p, e[i])
                    e[i + 1] = s * r
                    s = e[i] / r
                    c = p / r
                    p = c * d[i] - s * g
                    d[i + 1] = h + s * (c * g + s * d[i])
                    // Rotate columns i and i+1 of V.
                    rotate(v + i * n, v + (i + 1) * n, c, s, n)
                    i -= 1
                }
                p = -s * s2 * c3 * el1 * e[l] / dl1
                e[l] = s * p
                d[l] = c * p
            } while abs(e[l]) > eps * tst1
        }
        d[l] += f
        e[l] = 0
    }
}

// SIMD kernels for the O(n³) inner loops (8 Doubles per step, scalar tail). Reductions sum 8 lanes, so their
// rounding differs from a left-to-right loop, but it is fixed: results stay deterministic.
private typealias D8 = SIMD8<Double>

@inline(__always) private func load(_ p: UnsafePointer<Double>) -> D8 { UnsafeRawPointer(p).loadUnaligned(as: D8.self) }
@inline(__always) private func store(_ x: D8, _ p: UnsafeMutablePointer<Double>) {
    UnsafeMutableRawPointer(p).storeBytes(of: x, as: D8.self)
}

/// Σₖ a[k]·b[k] for k < count.
private func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ count: Int) -> Double {
    var acc = D8(), k = 0
    while k + 8 <= count { acc += load(a + k) * load(b + k); k += 8 }
    var s = acc.sum()
    while k < count { s += a[k] * b[k]; k += 1 }
    return s
}

/// y[k] += alpha·x[k].
private func axpy(_ alpha: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ count: Int) {
    let av = D8(repeating: alpha)
    var k = 0
    while k + 8 <= count { store(load(y + k) + av * load(x + k), y + k); k += 8 }
    while k < count { y[k] += alpha * x[k]; k += 1 }
}

/// Returns Σₖ col[k]·d[k] and does e[k] += col[k]·f, in one pass over col (tred2's A·u step).
private func dotAndAxpy(_ col: UnsafePointer<Double>, _ d: UnsafePointer<Double>, _ e: UnsafeMutablePointer<Double>,
                        _ f: Double, _ count: Int) -> Double {
    let fv = D8(repeating: f)
    var acc = D8(), k = 0
    while k + 8 <= count {
        let c = load(col + k)
        acc += c * load(d + k)
        store(load(e + k) + c * fv, e + k)
        k += 8
    }
    var s = acc.sum()
    while k < count { s += col[k] * d[k]; e[k] += col[k] * f; k += 1 }
    return s
}

/// col[k] −= f·e[k] + g·d[k] (tred2's rank-2 update of one column).
private func rank2Update(_ col: UnsafeMutablePointer<Double>, _ e: UnsafePointer<Double>, _ d: UnsafePointer<Double>,
                         _ f: Double, _ g: Double, _ count: Int) {
    let fv = D8(repeating: f), gv = D8(repeating: g)
    var k = 0
    while k + 8 <= count { store(load(col + k) - (fv * load(e + k) + gv * load(d + k)), col + k); k += 8 }
    while k < count { col[k] -= f * e[k] + g * d[k]; k += 1 }
}

/// The Givens rotation of two columns: (a, b) ← (c·a − s·b, s·a + c·b).
private func rotate(_ a: UnsafeMutablePointer<Double>, _ b: UnsafeMutablePointer<Double>, _ c: Double, _ s: Double,
                    _ count: Int) {
    let cv = D8(repeating: c), sv = D8(repeating: s)
    var k = 0
    while k + 8 <= count {
        let x = load(a + k), y = load(b + k)
        store(cv * x - sv * y, a + k)
        store(sv * x + cv * y, b + k)
        k += 8
    }
    while k < count {
        let x = a[k], y = b[k]
        a[k] = c * x - s * y
        b[k] = s * x + c * y
        k += 1
    }
}
