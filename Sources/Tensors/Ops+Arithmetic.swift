// Broadcasting arithmetic: a + b, a − b, a ⊙ b, a / b, and the scalar forms (x·c, x + c, −x).
// Shapes broadcast as in NumPy (Broadcast.swift). The backward of a broadcast operand sums the result gradient over
// the broadcast dimensions: for z = a + b with a [B,S,H] and b [H], dL/db_h = Σ_{b,s} dL/dz_{b,s,h}.
//
//   z = a + b:  da = g,        db = g
//   z = a − b:  da = g,        db = −g
//   z = a ⊙ b:  da = g ⊙ b,    db = g ⊙ a
//   z = a / b:  da = g / b,    db = −g ⊙ a / b²
// (each summed back to the operand's shape).

/// The four broadcasting binary ops.
enum BinaryOp { case add, sub, mul, div }

/// z[o..<o+n] = f(x[i·ia], y[i·ib]) over one row, with the common stride patterns as separate loops so that each
/// vectorises. `f` is non-escaping and the function is inlined, so each op gets its own specialised loops.
@inline(__always)
func binaryRow(_ z: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ ia: Int,
               _ y: UnsafePointer<Float>, _ ib: Int, _ n: Int, _ f: (Float, Float) -> Float) {
    if ia == 1 && ib == 1 {
        for i in 0..<n { z[i] = f(x[i], y[i]) }
    } else if ia == 1 && ib == 0 {
        let yv = y[0]
        for i in 0..<n { z[i] = f(x[i], yv) }
    } else if ia == 0 && ib == 1 {
        let xv = x[0]
        for i in 0..<n { z[i] = f(xv, y[i]) }
    } else {
        for i in 0..<n { z[i] = f(x[i * ia], y[i * ib]) }
    }
}

/// acc[i·ic] += f(g[i], x[i·ia], y[i·ib]) over one row (the gradient of one operand).
@inline(__always)
func accumulateRow(_ acc: UnsafeMutablePointer<Float>, _ ic: Int, _ g: UnsafePointer<Float>,
                   _ x: UnsafePointer<Float>, _ ia: Int, _ y: UnsafePointer<Float>, _ ib: Int, _ n: Int,
                   _ f: (Float, Float, Float) -> Float) {
    if ic == 1 && ia == 1 && ib == 1 {
        for i in 0..<n { acc[i] += f(g[i], x[i], y[i]) }
    } else if ic == 0 {
        var s: Float = 0   // a broadcast operand along this row: reduce, then add once
        for i in 0..<n { s += f(g[i], x[i * ia], y[i * ib]) }
        acc[0] += s
    } else {
        for i in 0..<n { acc[i * ic] += f(g[i], x[i * ia], y[i * ib]) }
    }
}

/// Element-wise binary op with broadcasting; backward formulas in the file comment.
func broadcastBinary(_ a: Tensor, _ b: Tensor, _ op: BinaryOp) -> Tensor {
    let outShape = a.shape == b.shape ? a.shape : broadcastShape(a.shape, b.shape)
    let sa = broadcastStrides(a.shape, to: outShape), sb = broadcastStrides(b.shape, to: outShape)
    let rows = BroadcastRows(outShape, sa, sb)
    let out = Tensor(uninitialized: outShape)
    let pz = out.pointer, pa = a.pointer, pb = b.pointer
    let ia = rows.inner1, ib = rows.inner2, n = rows.inner
    rows.forEachRow { o, oa, ob in
        switch op {
        case .add: binaryRow(pz + o, pa + oa, ia, pb + ob, ib, n) { $0 + $1 }
        case .sub: binaryRow(pz + o, pa + oa, ia, pb + ob, ib, n) { $0 - $1 }
        case .mul: binaryRow(pz + o, pa + oa, ia, pb + ob, ib, n) { $0 * $1 }
        case .div: binaryRow(pz + o, pa + oa, ia, pb + ob, ib, n) { $0 / $1 }
        }
    }
    guard Tensor.recording(a, b) else { return out }
    let aStore = a.storage, bStore = b.storage
    out.record([a, b]) { g in
        let pg = g.pointer, pa = aStore.pointer, pb = bStore.pointer
        // Same shape and no scaling: the gradient is g itself (add, sub for a).
        if a.shape == outShape && (op == .add || op == .sub) {
            a.addGrad(g)
        } else {
            a.accumulateGrad { da in
                rows.forEachRow { o, oa, ob in
                    let (gr, ar, br) = (pg + o, pa + oa, pb + ob)
                    switch op {
                    case .add, .sub: accumulateRow(da + oa, ia, gr, ar, ia, br, ib, n) { g, _, _ in g }
                    case .mul: accumulateRow(da + oa, ia, gr, ar, ia, br, ib, n) { g, _, y in g * y }
                    case .div: accumulateRow(da + oa, ia, gr, ar, ia, br, ib, n) { g, _, y in g / y }
                    }
                }
            }
        }
        if b.shape == outShape && op == .add {
            b.addGrad(g)
        } else {
            b.accumulateGrad { db in
                rows.forEachRow { o, oa, ob in
                    let (gr, ar, br) = (pg + o, pa + oa, pb + ob)
                    switch op {
                    case .add: accumulateRow(db + ob, ib, gr, ar, ia, br, ib, n) { g, _, _ in g }
                    case .sub: accumulateRow(db + ob, ib, gr, ar, ia, br, ib, n) { g, _, _ in -g }
                    case .mul: accumulateRow(db + ob, ib, gr, ar, ia, br, ib, n) { g, x, _ in g * x }
                    case .div: accumulateRow(db + ob, ib, gr, ar, ia, br, ib, n) { g, x, y in -g * x / (y * y) }
                    }
                }
            }
        }
    }
    return out
}

extension Tensor {
    /// a + b with broadcasting.
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        broadcastBinary(a, b, .add)
    }

    /// a − b with broadcasting.
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        broadcastBinary(a, b, .sub)
    }

    /// a ⊙ b (element-wise product) with broadcasting.
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        broadcastBinary(a, b, .mul)
    }

    /// a / b (element-wise) with broadcasting.
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        broadcastBinary(a, b, .div)
    }

    /// x · c for a constant c (dx = c·g).
    public func scaled(by c: Float) -> Tensor {
        unaryMap({ $0 * c }, derivative: { _, _ in c })
    }

    /// x + c for a constant c (dx = g).
    public func adding(_ c: Float) -> Tensor {
        unaryMap({ $0 + c }, derivative: { _, _ in 1 })
    }

    public static func * (x: Tensor, c: Float) -> Tensor { x.scaled(by: c) }
    public static func * (c: Float, x: Tensor) -> Tensor { x.scaled(by: c) }
    public static func + (x: Tensor, c: Float) -> Tensor { x.adding(c) }
    public static func - (x: Tensor, c: Float) -> Tensor { x.adding(-c) }
    public static func / (x: Tensor, c: Float) -> Tensor { x.scaled(by: 1 / c) }
    public static func + (c: Float, x: Tensor) -> Tensor { x.adding(c) }
    /// c − x (e.g. TK's 1 − α).
    public static func - (c: Float, x: Tensor) -> Tensor { x.unaryMap({ c - $0 }, derivative: { _, _ in -1 }) }
    public static prefix func - (x: Tensor) -> Tensor { x.scaled(by: -1) }

    /// y = f(x) element-wise with dx = g · f'(x, y) (the derivative may use the input x or the output y).
    @inline(__always)
    func unaryMap(_ f: (Float) -> Float, derivative: @escaping (Float, Float) -> Float) -> Tensor {
        let out = Tensor(uninitialized: shape)
        let px = pointer, py = out.pointer, n = count
        for i in 0..<n { py[i] = f(px[i]) }
        if Tensor.recording(self) {
            let xs = storage, ys = out.storage
            out.record([self]) { g in
                let pg = g.pointer, px = xs.pointer, py = ys.pointer
                self.writeOrAccumulateGrad { dx in
                    for i in 0..<n { dx[i] = pg[i] * derivative(px[i], py[i]) }
                }
            }
        }
        return out
    }
}
