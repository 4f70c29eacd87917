// Symmetric eigen-decomposition in Double: Householder reduction to tridiagonal form, then the implicit QL
// algorithm with Wilkinson-style shifts (the EISPACK tred2/tql2 pair, as in JAMA). PCA uses it on the d×d
// covariance matrix (extreme-compression paper §4.2 step 2: fit PCA on teacher embeddings).
// Leaves out: non-symmetric matrices, partial spectra (it always computes every eigenpair), complex input.
//
// Letters: n = matrix order. Cost O(n³) time, O(n²) memory; n ≤ ~1024 takes seconds at most.
// Storage: the working matrix V is column-major (V[r, c] at c·n + r), so every inner loop of both stages walks
// a contiguous column, and on return column j of V (= row j of `vectors`) is eigenvector j.
//
// Fast path (the default; the plain serial algorithm stays beside it as the tests' reference):
// - Reduction: from order `parallelFrom` (96) up, each step's product A·u and rank-2 update run on two fixed column
//   ranges of equal work on the kernels' worker pool. A·u sums the two ranges' partial vectors, so it rounds
//   differently from the serial loop (~1e-16 relative), but the same way for any thread count.
// - QL only ever reads the tridiagonal (d, e); Q only receives its Givens rotations. So the QL iteration runs on one
//   thread, recording every sweep's rotations, while the other accumulates Q from the reflections, eight steps at a
//   time in compact form (two passes over each column instead of sixteen). Then all recorded sweeps are applied to Q
//   in row slabs, each slab on its own, the column a sweep carries from one rotation to the next kept in registers:
//   32 rows where the GEMM uses its AVX-512 tile (32 vector registers), 16 elsewhere (AVX2's 16 registers would
//   spill a 32-row carry). Every row sees the operations of the serial algorithm in its order, so this part is
//   bit-identical, and so is any slab width.
// What this buys, per host: Docs/PCA.md, "Current numbers" (bench pca).

import Tensors

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
        try self.init(symmetric: a, order: n, parallelFrom: 96, overlapped: true)
    }

    /// `parallelFrom`: the order from which tred2's reduction steps run on the worker pool (`Int.max`: never);
    /// `overlapped`: QL recorded on (d, e) while Q is accumulated (grouped), then the rotations applied by row slabs,
    /// instead of accumulating Q and rotating it as QL goes. The plain serial algorithm is
    /// `parallelFrom: .max, overlapped: false` (the tests' reference). `overlapped` changes only the rounding of Q's
    /// accumulation (compact form, ~1e-15); the recorded rotations reproduce the serial QL bit for bit.
    init(symmetric a: [Double], order n: Int, parallelFrom: Int, overlapped: Bool) throws {
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
                    let vb = vp.baseAddress!, db = dp.baseAddress!, eb = ep.baseAddress!
                    reduceToTridiagonal(vb, db, eb, n, parallelFrom: parallelFrom)
                    if overlapped {
                        // The tridiagonal's diagonal is copied out first (the accumulation overwrites the diagonal
                        // of v); then QL on (diagonal, e) and the accumulation of Q run side by side, and the
                        // recorded rotations are applied to Q.
                        var diagonal = (0..<n).map { vb[$0 * n + $0] }
                        var sweeps = RecordedSweeps(), failure: Error? = nil
                        try diagonal.withUnsafeMutableBufferPointer { tp in
                            let t = tp.baseAddress!
                            Kernels.parallelFor(count: 2) { tasks in
                                for task in tasks {
                                    if task == 0 {
                                        do { sweeps = try implicitQLRecordingRotations(t, eb, n) } catch { failure = error }
                                    } else {
                                        accumulateReflectionsGrouped(vb, db, n)
                                    }
                                }
                            }
                            if let failure { throw failure }
                            sweeps.apply(to: vb, n)
                            db.update(from: tp.baseAddress!, count: n)
                        }
                    } else {
                        accumulateReflections(vb, db, n)
                        try implicitQL(vb, db, eb, n)
                    }
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

/// tred2, first half: reduces the symmetric matrix in `v` to tridiagonal form T = Qᵀ·A·Q by Householder reflections.
/// On return the diagonal of T is on the diagonal of `v`, the sub-diagonal in `e[1...]` (e[0] = 0), the
/// reflections' vectors above the diagonal of `v` (column i + 1, rows 0…i) with their scales h in `d[i + 1]`, and
/// the strict lower triangle of `v` is zero.
private func reduceToTridiagonal(_ v: UnsafeMutablePointer<Double>, _ d: UnsafeMutablePointer<Double>,
                                 _ e: UnsafeMutablePointer<Double>, _ n: Int, parallelFrom: Int) {
    @inline(__always) func at(_ r: Int, _ c: Int) -> UnsafeMutablePointer<Double> { v + (c * n + r) }
    // Scratch of the parallel steps: the second range's partial A·u, and the next step's row (see below).
    let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 2 * n)
    defer { scratch.deallocate() }
    let partial = scratch, nextRow = scratch + n
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
            if i >= parallelFrom {
                parallelSymmetricProduct(v, d, e, partial, n, i)
            } else {
                for j in 0..<i {
                    f = d[j]
                    at(j, i).pointee = f
                    g = e[j] + at(j, j).pointee * f
                    let col = v + j * n
                    if j + 1 < i { g += dotAndAxpy(col + (j + 1), d + (j + 1), e + (j + 1), f, i - j - 1) }
                    e[j] = g
                }
            }
            f = 0
            for j in 0..<i { e[j] /= h; f += e[j] * d[j] }
            let hh = f / (h + h)
            for j in 0..<i { e[j] -= hh * d[j] }
            // A ← A − u·qᵀ − q·uᵀ on the lower triangle.
            if i >= parallelFrom {
                // Column j's update reads d[j…]; the new d (row i − 1) goes to `nextRow` until every column is done.
                forTwoRanges(total: i) { range in
                    for j in range {
                        let col = v + j * n
                        rank2Update(col + j, e + j, d + j, d[j], e[j], i - j)
                        nextRow[j] = col[i - 1]
                        col[i] = 0
                    }
                }
                d.update(from: nextRow, count: i)
            } else {
                for j in 0..<i {
                    f = d[j]; g = e[j]
                    let col = v + j * n
                    rank2Update(col + j, e + j, d + j, f, g, i - j)
                    d[j] = at(i - 1, j).pointee
                    at(i, j).pointee = 0
                }
            }
        }
        d[i] = h
        i -= 1
    }
    e[0] = 0
}

/// tred2, second half (the serial reference): accumulates the reflections left by `reduceToTridiagonal` into Q in
/// `v`, and moves the diagonal of T into `d`.
private func accumulateReflections(_ v: UnsafeMutablePointer<Double>, _ d: UnsafeMutablePointer<Double>, _ n: Int) {
    @inline(__always) func at(_ r: Int, _ c: Int) -> UnsafeMutablePointer<Double> { v + (c * n + r) }
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
}

/// `accumulateReflections` with the steps taken eight at a time in compact form. Step i maps a column c (rows 0…i)
/// to c − (uᵢ·c)·wᵢ, with uᵢ its reflection vector and wᵢ = uᵢ/hᵢ. For a column that all of a group's steps reach,
/// the coefficients follow from the dots with the *original* column: aᵍ = uᵍ·c − Σ_{h<g} (uᵍ·wʰ)·aʰ, so one pass over
/// the column computes eight dots and a second subtracts Σ aᵍ·wᵍ, instead of sixteen passes. (The columns that enter
/// during the group take its steps one by one, as in the serial loop.) Rounds differently from the serial loop, to
/// ~1e-15 relative; the tests hold the two together.
private func accumulateReflectionsGrouped(_ v: UnsafeMutablePointer<Double>, _ d: UnsafeMutablePointer<Double>,
                                          _ n: Int) {
    @inline(__always) func at(_ r: Int, _ c: Int) -> UnsafeMutablePointer<Double> { v + (c * n + r) }
    let group = 8
    guard n > 1 else { for j in 0..<n { d[j] = at(j, j).pointee }; if n == 1 { at(0, 0).pointee = 1 }; return }
    // u[g], w[g]: rows 0…i of step i = i0 + g, zero below (so every dot and update can run over the group's rows).
    let rows = n + 8
    let u = UnsafeMutablePointer<Double>.allocate(capacity: group * rows)
    let w = UnsafeMutablePointer<Double>.allocate(capacity: group * rows)
    defer { u.deallocate(); w.deallocate() }
    var hs = [Double](repeating: 0, count: group)
    var coupling = [Double](repeating: 0, count: group * group)      // coupling[g·8 + h] = uᵍ·wʰ, h < g
    var i0 = 0
    while i0 < n - 1 {
        let steps = min(group, n - 1 - i0), span = i0 + steps         // the group's steps touch rows 0..<span
        for g in 0..<group {
            let ug = u + g * rows, wg = w + g * rows
            ug.initialize(repeating: 0, count: rows); wg.initialize(repeating: 0, count: rows)
            guard g < steps else { hs[g] = 0; continue }
            let i = i0 + g, h = d[i + 1]
            hs[g] = h
            guard h != 0 else { continue }
            let next = v + (i + 1) * n
            for k in 0...i { ug[k] = next[k]; wg[k] = next[k] / h }
        }
        for g in 0..<steps { for h in 0..<g { coupling[g * group + h] = dot(u + g * rows, w + h * rows, span) } }
        // Columns before the group: all of its steps, in compact form.
        coupling.withUnsafeBufferPointer { cp in
            for j in 0..<i0 {
                applyGroup(v + j * n, u, w, rows, cp.baseAddress!, steps, span)
            }
        }
        // Columns entering during the group: its steps one by one from their own.
        for j in i0..<span {
            let col = v + j * n
            if j > i0 { for k in 0..<j { col[k] = 0 } }     // column j was step j − 1's reflection: zeroed after it
            col[n - 1] = col[j]                              // the diagonal saved to the last row, then set to 1
            col[j] = 1
            for g in (j - i0)..<steps where hs[g] != 0 {
                let i = i0 + g
                let gdot = dot(u + g * rows, col, i + 1)
                axpy(-gdot, w + g * rows, col, i + 1)
            }
        }
        for k in 0..<span { at(k, span).pointee = 0 }        // the last step's reflection vector
        i0 += steps
    }
    for j in 0..<n { d[j] = at(n - 1, j).pointee; at(n - 1, j).pointee = 0 }
    at(n - 1, n - 1).pointee = 1
}

/// One column c (rows 0..<span) through a group's `steps` in compact form: t = Uᵀc in one pass, aᵍ from t and the
/// coupling, then c −= Σ aᵍ·wᵍ in one pass. Unused steps (g ≥ steps) have zero vectors.
@inline(__always)
private func applyGroup(_ col: UnsafeMutablePointer<Double>, _ u: UnsafePointer<Double>, _ w: UnsafePointer<Double>,
                        _ rows: Int, _ coupling: UnsafePointer<Double>, _ steps: Int, _ span: Int) {
    var t0 = D8(), t1 = D8(), t2 = D8(), t3 = D8(), t4 = D8(), t5 = D8(), t6 = D8(), t7 = D8()
    var k = 0
    let full = span / 8 * 8
    while k < full {
        let c = load(col + k)
        t0 += load(u + k) * c; t1 += load(u + rows + k) * c
        t2 += load(u + 2 * rows + k) * c; t3 += load(u + 3 * rows + k) * c
        t4 += load(u + 4 * rows + k) * c; t5 += load(u + 5 * rows + k) * c
        t6 += load(u + 6 * rows + k) * c; t7 += load(u + 7 * rows + k) * c
        k += 8
    }
    var t = D8(t0.sum(), t1.sum(), t2.sum(), t3.sum(), t4.sum(), t5.sum(), t6.sum(), t7.sum())
    while k < span {
        for g in 0..<8 { t[g] += u[g * rows + k] * col[k] }
        k += 1
    }
    var a = D8()
    for g in 0..<steps {
        var x = t[g]
        for h in 0..<g { x -= coupling[g * 8 + h] * a[h] }
        a[g] = x
    }
    let a0 = D8(repeating: a[0]), a1 = D8(repeating: a[1]), a2 = D8(repeating: a[2]), a3 = D8(repeating: a[3])
    let a4 = D8(repeating: a[4]), a5 = D8(repeating: a[5]), a6 = D8(repeating: a[6]), a7 = D8(repeating: a[7])
    k = 0
    while k < full {
        var c = load(col + k)
        c -= a0 * load(w + k) + a1 * load(w + rows + k) + a2 * load(w + 2 * rows + k) + a3 * load(w + 3 * rows + k)
        c -= a4 * load(w + 4 * rows + k) + a5 * load(w + 5 * rows + k) + a6 * load(w + 6 * rows + k) + a7 * load(w + 7 * rows + k)
        store(c, col + k)
        k += 8
    }
    while k < span {
        var x = col[k]
        for g in 0..<8 { x -= a[g] * w[g * rows + k] }
        col[k] = x
        k += 1
    }
}

/// tql2's iteration: diagonalises the tridiagonal (d, e) by implicit QL sweeps with shifts, so that on return d holds
/// the eigenvalues (unsorted). Each sweep from column pair (m−1, m) down to (l, l+1) is announced by `sweep(m − 1, l)`;
/// each of its Givens rotations, in order, by `rotation(i, c, s)` for columns i and i+1 of the eigenvector matrix.
@inline(__always)
private func iterateQL(_ d: UnsafeMutablePointer<Double>, _ e: UnsafeMutablePointer<Double>, _ n: Int,
                       sweep: (Int, Int) -> Void, rotation: (Int, Double, Double) -> Void) throws {
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
                var r = pythagoras(p, 1)
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
                sweep(m - 1, l)
                i = m - 1
                while i >= l {
                    c3 = c2; c2 = c; s2 = s
                    g = c * e[i]
                    h = c * p
                    r = pythagoras(p, e[i])
                    e[i + 1] = s * r
                    s = e[i] / r
                    c = p / r
                    p = c * d[i] - s * g
                    d[i + 1] = h + s * (c * g + s * d[i])
                    rotation(i, c, s)
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

/// tql2 (the serial reference; `implicitQLRecordingRotations` + `RecordedSweeps.apply` is the fast path): the QL
/// iteration applying every Givens rotation to the columns of `v` as it goes, so that on return d holds the
/// eigenvalues (unsorted) and column j of v its eigenvector.
func implicitQL(_ v: UnsafeMutablePointer<Double>, _ d: UnsafeMutablePointer<Double>,
                _ e: UnsafeMutablePointer<Double>, _ n: Int) throws {
    try iterateQL(d, e, n, sweep: { _, _ in }, rotation: { i, c, s in rotate(v + i * n, v + (i + 1) * n, c, s, n) })
}

/// tql2 without V: the QL iteration on (d, e) only, recording each sweep's rotations for `RecordedSweeps.apply`.
func implicitQLRecordingRotations(_ d: UnsafeMutablePointer<Double>, _ e: UnsafeMutablePointer<Double>,
                                  _ n: Int) throws -> RecordedSweeps {
    var sweeps = RecordedSweeps()
    sweeps.cosines.reserveCapacity(2 * n * n); sweeps.sines.reserveCapacity(2 * n * n)
    try iterateQL(d, e, n, sweep: { top, bottom in
        sweeps.top.append(Int32(top)); sweeps.bottom.append(Int32(bottom)); sweeps.start.append(sweeps.cosines.count)
    }, rotation: { _, c, s in
        sweeps.cosines.append(c); sweeps.sines.append(s)
    })
    return sweeps
}

/// Runs `body` over `0..<total` cut into two fixed ranges, on up to two threads. Item j costs total − j (a
/// lower-triangle column), and the cut balances that work. The cut depends on `total` only, never on the thread count.
private func forTwoRanges(total: Int, _ body: (Range<Int>) -> Void) {
    let cut = Int(Double(total) * (1 - 0.5.squareRoot()))
    Kernels.parallelFor(count: 2) { parts in
        for part in parts { body(part == 0 ? 0..<cut : cut..<total) }
    }
}

/// tred2's p = A·u over the leading i×i block (lower triangle, column-major), on two column ranges: range 0 adds
/// its column dots and axpys into e, range 1 into `partial`, and e += partial afterwards. Also stores u (in d)
/// into column i above the diagonal, as the serial loop does.
private func parallelSymmetricProduct(_ v: UnsafeMutablePointer<Double>, _ d: UnsafeMutablePointer<Double>,
                                      _ e: UnsafeMutablePointer<Double>, _ partial: UnsafeMutablePointer<Double>,
                                      _ n: Int, _ i: Int) {
    partial.initialize(repeating: 0, count: i)
    forTwoRanges(total: i) { range in
        let acc = range.lowerBound == 0 ? e : partial
        for j in range {
            let f = d[j], col = v + j * n
            v[i * n + j] = f
            var g = acc[j] + col[j] * f
            if j + 1 < i { g += dotAndAxpy(col + (j + 1), d + (j + 1), acc + (j + 1), f, i - j - 1) }
            acc[j] = g
        }
    }
    for j in 0..<i { e[j] += partial[j] }
}

/// The Givens rotations of every QL sweep, in the order tql2 applies them: sweep k rotates the column pairs
/// (i, i + 1) for i = top[k], top[k] − 1, …, bottom[k] with (cosines[r], sines[r]) for r in its run of entries.
struct RecordedSweeps {
    var top: [Int32] = [], bottom: [Int32] = [], start: [Int] = []
    var cosines: [Double] = [], sines: [Double] = []

    /// Rows per slab: 32 where 512-bit vectors and 32 registers hold the carried column (the GEMM's 8×32 tile is in
    /// use), 16 where 16 registers must hold it and the rotation's operands (AVX2; NEON).
    static var slabRows: Int { Kernels.gemmKernel == .tile8x32 ? 32 : 16 }

    /// Applies every sweep to V [n × n, column-major] in slabs of `slabRows` rows (16 or 32; a rotation acts row by
    /// row, so each slab is independent); within a sweep the shared column travels in registers from one rotation to
    /// the next.
    func apply(to v: UnsafeMutablePointer<Double>, _ n: Int, slabRows: Int = RecordedSweeps.slabRows) {
        precondition(slabRows == 16 || slabRows == 32, "RecordedSweeps.apply: slabs of 16 or 32 rows")
        guard !top.isEmpty, n > 0 else { return }
        let slabs = (n + slabRows - 1) / slabRows
        cosines.withUnsafeBufferPointer { cp in
            sines.withUnsafeBufferPointer { sp in
                let c = cp.baseAddress!, s = sp.baseAddress!
                Kernels.parallelFor(count: slabs, minChunk: 64 / slabRows) { range in
                    for slab in range {
                        let r0 = slab * slabRows, rows = min(slabRows, n - r0)
                        for k in top.indices {
                            if slabRows == 16 {
                                applySweep(SIMD8<Double>.self, v + r0, n, rows, Int(top[k]), Int(bottom[k]), c + start[k], s + start[k])
                            } else {
                                applySweep(SIMD16<Double>.self, v + r0, n, rows, Int(top[k]), Int(bottom[k]), c + start[k], s + start[k])
                            }
                        }
                    }
                }
            }
        }
    }
}

/// One sweep on `rows` rows of V starting at `v` (column stride n): for i = top … bottom (descending), the rotation
/// (col i, col i+1) ← (c·col i − s·col i+1, s·col i + c·col i+1), exactly as `rotate` computes it. A full slab
/// (`rows` = 2 × `Half.scalarCount`: 16 rows as two `SIMD8<Double>`, 32 as two `SIMD16<Double>`) carries the shared
/// column in registers; a shorter one rotates column pairs with `rotate`. (A single `SIMD32<Double>` carry compiles
/// to scalar code, 90× slower.)
@inline(__always)
private func applySweep<Half: SIMD>(_: Half.Type, _ v: UnsafeMutablePointer<Double>, _ n: Int, _ rows: Int,
                                    _ top: Int, _ bottom: Int, _ c: UnsafePointer<Double>,
                                    _ s: UnsafePointer<Double>) where Half.Scalar == Double {
    let h = Half.scalarCount
    if rows < 2 * h {
        var r = 0, i = top
        while i >= bottom { rotate(v + i * n, v + (i + 1) * n, c[r], s[r], rows); i -= 1; r += 1 }
        return
    }
    @inline(__always) func load(_ p: UnsafePointer<Double>) -> Half { UnsafeRawPointer(p).loadUnaligned(as: Half.self) }
    @inline(__always) func store(_ x: Half, _ p: UnsafeMutablePointer<Double>) {
        UnsafeMutableRawPointer(p).storeBytes(of: x, as: Half.self)
    }
    // The carried column: col top+1 enters first; after rotation i the new col i+1 is final and stored, the new
    // col i is carried into rotation i − 1.
    var carry0 = load(v + (top + 1) * n), carry1 = load(v + (top + 1) * n + h)
    var r = 0, i = top
    while i >= bottom {
        let cv = Half(repeating: c[r]), sv = Half(repeating: s[r])
        let a = v + i * n, b = v + (i + 1) * n
        let x0 = load(a), x1 = load(a + h)
        store(sv * x0 + cv * carry0, b); store(sv * x1 + cv * carry1, b + h)
        carry0 = cv * x0 - sv * carry0; carry1 = cv * x1 - sv * carry1
        i -= 1; r += 1
    }
    store(carry0, v + bottom * n); store(carry1, v + bottom * n + h)
}


/// √(x² + y²): the plain formula where it cannot overflow or lose the larger term to underflow, else libm's `hypot`
/// (≈ 4× slower here, and QL calls it once per rotation: ~110,000 times for n = 384). Within 1 ulp of `hypot`.
@inline(__always)
private func pythagoras(_ x: Double, _ y: Double) -> Double {
    let big = max(abs(x), abs(y))
    if big < 0x1p500 && big > 0x1p-500 { return (x * x + y * y).squareRoot() }
    return hypot(x, y)
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
