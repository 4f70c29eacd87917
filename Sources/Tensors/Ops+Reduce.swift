// Reductions: sum, mean and max over one axis (or everything).
// A tensor is viewed as [outer, n, inner] around the reduced axis; the result is [outer, inner] with the axis
// removed (or kept as 1 with keepDims). Sums along a contiguous axis (inner = 1: the last axis, or everything)
// accumulate in Double, so long sums do not drift; strided sums accumulate in Float, column by column.
//
//   sum:  y[o,i] = Σ_j x[o,j,i]        dx[o,j,i] = g[o,i]
//   mean: y[o,i] = Σ_j x[o,j,i] / n    dx[o,j,i] = g[o,i] / n
//   max:  y[o,i] = max_j x[o,j,i]      dx[o,j*,i] = g[o,i] at the first arg-max j* only (as PyTorch's max(dim))

extension Tensor {
    /// Resolves a possibly negative axis (−1 = last).
    func normalizedAxis(_ axis: Int) -> Int {
        let a = axis < 0 ? axis + rank : axis
        precondition(a >= 0 && a < rank, "axis \(axis) out of range for shape \(shape)")
        return a
    }

    /// (outer, n, inner) sizes around `axis`.
    func splitAround(_ axis: Int) -> (outer: Int, n: Int, inner: Int) {
        (elementCount(Array(shape[..<axis])), shape[axis], elementCount(Array(shape[(axis + 1)...])))
    }

    func reducedShape(_ axis: Int, keepDims: Bool) -> [Int] {
        var s = shape
        if keepDims { s[axis] = 1 } else { s.remove(at: axis) }
        return s
    }

    /// Σ over `axis`.
    public func sum(axis: Int, keepDims: Bool = false) -> Tensor { reduceSum(axis: axis, keepDims: keepDims, scale: 1) }

    /// Mean over `axis`.
    public func mean(axis: Int, keepDims: Bool = false) -> Tensor {
        let ax = normalizedAxis(axis)
        return reduceSum(axis: ax, keepDims: keepDims, scale: 1 / Float(Swift.max(shape[ax], 1)))
    }

    /// Σ of all elements: a scalar (shape []).
    public func sum() -> Tensor { reshaped([count]).reduceSum(axis: 0, keepDims: false, scale: 1) }

    /// Mean of all elements: a scalar (shape []).
    public func mean() -> Tensor { reshaped([count]).reduceSum(axis: 0, keepDims: false, scale: 1 / Float(Swift.max(count, 1))) }

    func reduceSum(axis: Int, keepDims: Bool, scale: Float) -> Tensor {
        let ax = normalizedAxis(axis)
        let (outer, n, inner) = splitAround(ax)
        let out = Tensor(zeros: reducedShape(ax, keepDims: keepDims))
        let px = pointer, py = out.pointer
        if inner == 1 {
            for o in 0..<outer {
                var acc = 0.0
                let row = px + o * n
                for j in 0..<n { acc += Double(row[j]) }
                py[o] = Float(acc) * scale
            }
        } else {
            for o in 0..<outer {
                let yo = py + o * inner
                for j in 0..<n { let xr = px + (o * n + j) * inner; for i in 0..<inner { yo[i] += xr[i] } }
                for i in 0..<inner { yo[i] *= scale }
            }
        }
        if Tensor.recording(self) {
            out.record([self]) { g in
                let pg = g.pointer
                self.accumulateGrad { dx in
                    for o in 0..<outer {
                        for j in 0..<n {
                            let dr = dx + (o * n + j) * inner, gr = pg + o * inner
                            for i in 0..<inner { dr[i] += gr[i] * scale }
                        }
                    }
                }
            }
        }
        return out
    }

    /// max over `axis` (the values; ties go to the first index).
    public func max(axis: Int, keepDims: Bool = false) -> Tensor {
        let ax = normalizedAxis(axis)
        let (outer, n, inner) = splitAround(ax)
        precondition(n > 0, "max over an empty axis \(ax) of \(shape)")
        let out = Tensor(uninitialized: reducedShape(ax, keepDims: keepDims))
        let arg = UnsafeMutablePointer<Int32>.allocate(capacity: Swift.max(outer * inner, 1))
        let px = pointer, py = out.pointer
        for o in 0..<outer {
            for i in 0..<inner {
                var best = px[o * n * inner + i], bj = 0
                for j in 1..<Swift.max(n, 1) {
                    let v = px[(o * n + j) * inner + i]
                    if v > best { best = v; bj = j }
                }
                py[o * inner + i] = best
                arg[o * inner + i] = Int32(bj)
            }
        }
        let argBox = IndexBuffer(arg)
        if Tensor.recording(self) {
            out.record([self]) { g in
                let pg = g.pointer, arg = argBox.pointer
                self.accumulateGrad { dx in
                    for o in 0..<outer {
                        for i in 0..<inner {
                            dx[(o * n + Int(arg[o * inner + i])) * inner + i] += pg[o * inner + i]
                        }
                    }
                }
            }
        }
        return out
    }
}

/// An owned Int32 buffer (arg-max indices, dropout masks) that lives as long as the closure that captures it.
final class IndexBuffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Int32>
    init(_ pointer: UnsafeMutablePointer<Int32>) { self.pointer = pointer }
    deinit { pointer.deallocate() }
}
