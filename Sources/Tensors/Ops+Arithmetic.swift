// Broadcasting arithmetic: a + b, a − b, a ⊙ b, a / b, and the scalar forms (x·c, x + c, −x).
// Shapes broadcast as in NumPy (Broadcast.swift). The backward of a broadcast operand sums the result gradient over
// the broadcast dimensions: for z = a + b with a [B,S,H] and b [H], dL/db_h = Σ_{b,s} dL/dz_{b,s,h}.
//
//   z = a + b:  da = g,        db = g
//   z = a − b:  da = g,        db = −g
//   z = a ⊙ b:  da = g ⊙ b,    db = g ⊙ a
//   z = a / b:  da = g / b,    db = −g ⊙ a / b²
// (each summed back to the operand's shape).

/// Element-wise binary op with broadcasting. `f` computes z from (a, b); `da`, `db` compute the local gradient
/// contributions from (g, a, b). Inlined so each op gets its own specialised loops.
@inline(__always)
func broadcastBinary(_ a: Tensor, _ b: Tensor,
                     _ f: @escaping (Float, Float) -> Float,
                     da: @escaping (Float, Float, Float) -> Float,
                     db: @escaping (Float, Float, Float) -> Float) -> Tensor {
    let outShape = a.shape == b.shape ? a.shape : broadcastShape(a.shape, b.shape)
    let sa = broadcastStrides(a.shape, to: outShape), sb = broadcastStrides(b.shape, to: outShape)
    let rows = BroadcastRows(outShape, sa, sb)
    let out = Tensor(uninitialized: outShape)
    let pz = out.pointer, pa = a.pointer, pb = b.pointer
    let ia = rows.inner1, ib = rows.inner2, n = rows.inner
    rows.forEachRow { o, oa, ob in
        let z = pz + o, x = pa + oa, y = pb + ob
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
    if Tensor.recording(a, b) {
        let aStore = a.storage, bStore = b.storage
        out.record([a, b]) { g in
            let pg = g.pointer, pa = aStore.pointer, pb = bStore.pointer
            if a.requiresGrad {
                a.accumulateGrad { ga in
                    rows.forEachRow { o, oa, ob in
                        for i in 0..<n { ga[oa + i * ia] += da(pg[o + i], pa[oa + i * ia], pb[ob + i * ib]) }
                    }
                }
            }
            if b.requiresGrad {
                b.accumulateGrad { gb in
                    rows.forEachRow { o, oa, ob in
                        for i in 0..<n { gb[ob + i * ib] += db(pg[o + i], pa[oa + i * ia], pb[ob + i * ib]) }
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
        broadcastBinary(a, b, { $0 + $1 }, da: { g, _, _ in g }, db: { g, _, _ in g })
    }

    /// a − b with broadcasting.
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        broadcastBinary(a, b, { $0 - $1 }, da: { g, _, _ in g }, db: { g, _, _ in -g })
    }

    /// a ⊙ b (element-wise product) with broadcasting.
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        broadcastBinary(a, b, { $0 * $1 }, da: { g, _, y in g * y }, db: { g, x, _ in g * x })
    }

    /// a / b (element-wise) with broadcasting.
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        broadcastBinary(a, b, { $0 / $1 }, da: { g, _, y in g / y }, db: { g, x, y in -g * x / (y * y) })
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
    func unaryMap(_ f: @escaping (Float) -> Float, derivative: @escaping (Float, Float) -> Float) -> Tensor {
        let out = Tensor(uninitialized: shape)
        let px = pointer, py = out.pointer, n = count
        for i in 0..<n { py[i] = f(px[i]) }
        if Tensor.recording(self) {
            let xs = storage, ys = out.storage
            out.record([self]) { g in
                let pg = g.pointer, px = xs.pointer, py = ys.pointer
                self.accumulateGrad { dx in
                    for i in 0..<n { dx[i] += pg[i] * derivative(px[i], py[i]) }
                }
            }
        }
        return out
    }
}
