// NumPy-style broadcasting for the element-wise ops: the result shape of two shapes, and a row iterator that walks
// the result with one offset per operand (stride 0 along broadcast dimensions).
//
// Shapes are right-aligned; a dimension broadcasts when it is 1 (or missing). Examples the rankers use:
//   [B,S,H] + [H]            → [B,S,H]      (bias)
//   [B,h,S,S] + [B,1,1,S]    → [B,h,S,S]    (attention mask)
//   [B,q,d,1] − [K]          → [B,q,d,K]    (TK kernels)
//   x · scalar tensor []     → shape of x
// Adjacent dimensions that are contiguous for every operand are merged first, so equal shapes become one flat row.

/// The broadcast result of two shapes; a precondition failure names both when they are incompatible.
public func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int] {
    let n = max(a.count, b.count)
    var out = [Int](repeating: 1, count: n)
    for i in 0..<n {
        let da = i < n - a.count ? 1 : a[i - (n - a.count)]
        let db = i < n - b.count ? 1 : b[i - (n - b.count)]
        precondition(da == db || da == 1 || db == 1, "shapes \(a) and \(b) do not broadcast (dimension \(i))")
        out[i] = da == 1 ? db : da
    }
    return out
}

/// Row-major strides of `shape` seen as broadcast to `out` (0 where `shape` has a 1 or no dimension).
func broadcastStrides(_ shape: [Int], to out: [Int]) -> [Int] {
    let off = out.count - shape.count
    precondition(off >= 0, "shape \(shape) cannot broadcast to \(out)")
    var strides = [Int](repeating: 0, count: out.count)
    var s = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) {
        precondition(shape[i] == out[i + off] || shape[i] == 1, "shape \(shape) cannot broadcast to \(out)")
        strides[i + off] = shape[i] == 1 ? 0 : s
        s *= shape[i]
    }
    return strides
}

/// Walks an `outShape` with three operands: operand 0 is contiguous in `outShape` (the result, or the result's
/// gradient), operands 1 and 2 have the given broadcast strides. The body gets the three offsets of one row, the
/// row length and the inner strides of operands 1 and 2.
struct BroadcastRows {
    var dims: [Int] = []                 // outer dims (inner one removed), after merging
    var s0: [Int] = [], s1: [Int] = [], s2: [Int] = []
    var inner = 1, inner1 = 0, inner2 = 0

    init(_ outShape: [Int], _ strides1: [Int], _ strides2: [Int]) {
        // Contiguous strides of operand 0.
        var c = [Int](repeating: 0, count: outShape.count)
        var s = 1
        for i in stride(from: outShape.count - 1, through: 0, by: -1) { c[i] = s; s *= outShape[i] }
        // Drop size-1 dims, then merge neighbours that are contiguous for all three operands.
        var d: [Int] = [], a: [Int] = [], b: [Int] = [], e: [Int] = []
        for i in 0..<outShape.count where outShape[i] != 1 {
            if let last = d.last, c[i] * outShape[i] == e.last!, strides1[i] * outShape[i] == a.last!,
               strides2[i] * outShape[i] == b.last! {
                d[d.count - 1] = last * outShape[i]
                e[e.count - 1] = c[i]; a[a.count - 1] = strides1[i]; b[b.count - 1] = strides2[i]
            } else {
                d.append(outShape[i]); e.append(c[i]); a.append(strides1[i]); b.append(strides2[i])
            }
        }
        if let n = d.popLast() {
            inner = n; _ = e.popLast(); inner1 = a.popLast()!; inner2 = b.popLast()!
        } else {
            inner = outShape.contains(0) ? 0 : 1; inner1 = 0; inner2 = 0
        }
        dims = d; s0 = e; s1 = a; s2 = b
    }

    /// Calls `body(o0, o1, o2)` once per row (odometer over the outer dimensions).
    @inline(__always)
    func forEachRow(_ body: (Int, Int, Int) -> Void) {
        if inner == 0 { return }
        let r = dims.count
        if r == 0 { body(0, 0, 0); return }
        var idx = [Int](repeating: 0, count: r)
        var o0 = 0, o1 = 0, o2 = 0
        while true {
            body(o0, o1, o2)
            var k = r - 1
            while k >= 0 {
                idx[k] += 1
                o0 += s0[k]; o1 += s1[k]; o2 += s2[k]
                if idx[k] < dims[k] { break }
                o0 -= s0[k] * dims[k]; o1 -= s1[k] * dims[k]; o2 -= s2[k] * dims[k]
                idx[k] = 0
                k -= 1
            }
            if k < 0 { return }
        }
    }
}
