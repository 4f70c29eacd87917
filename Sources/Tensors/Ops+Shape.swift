// Shape ops: reshape (a view: shares storage), permute / transpose, attention head split and merge, concatenation,
// slicing and row gathering along an axis. All results are contiguous; only reshape avoids a copy.
//
// Letters: B batch, S sequence, H hidden = h·d, h heads, d head size.
//   reshape:      same values, new shape                        dx = reshape(g)
//   permute(p):   y[i_p0, i_p1, …] = x[i_0, i_1, …]             dx = permute(g, p⁻¹)
//   splitHeads:   [B,S,H] → [B,h,S,d]   (reshape [B,S,h,d], permute 0,2,1,3)
//   mergeHeads:   [B,h,S,d] → [B,S,H]
//   concat:       [.., n_i, ..] → [.., Σn_i, ..]               dx_i = slice of g
//   slice:        [.., n, ..] → [.., len, ..]                   dx = g placed back, zeros elsewhere
//   indexSelect:  rows of axis 0 (repeats allowed)              dx[r] += g[k] for each k with index[k] = r

extension Tensor {
    /// The same values under a new shape (element counts must match). Shares storage: no copy. One dimension may
    /// be −1 and is inferred.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var s = newShape
        if let i = s.firstIndex(of: -1) {
            let rest = s.enumerated().filter { $0.offset != i }.reduce(1) { $0 * $1.element }
            precondition(rest > 0 && count % rest == 0, "cannot reshape \(shape) to \(newShape)")
            s[i] = count / rest
        }
        precondition(elementCount(s) == count, "cannot reshape \(shape) (\(count) values) to \(newShape)")
        let out = Tensor(shape: s, storage: storage)
        if Tensor.recording(self) {
            out.record([self]) { g in self.addGrad(g) }
        }
        return out
    }

    /// A new axis of size 1 at `axis` (a view). `axis` may be `rank` (append); negative counts from the end.
    public func unsqueezed(_ axis: Int) -> Tensor {
        let a = axis < 0 ? axis + rank + 1 : axis
        precondition(a >= 0 && a <= rank, "unsqueeze axis \(axis) out of range for shape \(shape)")
        var s = shape
        s.insert(1, at: a)
        return reshaped(s)
    }

    /// The size-1 axis `axis` removed (a view).
    public func squeezed(_ axis: Int) -> Tensor {
        let a = normalizedAxis(axis)
        precondition(shape[a] == 1, "squeeze of axis \(a) of size \(shape[a]) in \(shape)")
        var s = shape
        s.remove(at: a)
        return reshaped(s)
    }

    /// Axes reordered: result axis i is input axis `perm[i]`.
    public func permuted(_ perm: [Int]) -> Tensor {
        precondition(perm.count == rank && perm.sorted() == Array(0..<rank),
                     "permutation \(perm) invalid for shape \(shape)")
        let outShape = perm.map { shape[$0] }
        var inStrides = [Int](repeating: 1, count: rank)
        for i in stride(from: rank - 2, through: 0, by: -1) { inStrides[i] = inStrides[i + 1] * shape[i + 1] }
        let srcStrides = perm.map { inStrides[$0] }          // input stride of each output axis
        let rows = BroadcastRows(outShape, srcStrides, srcStrides)
        let out = Tensor(uninitialized: outShape)
        let px = pointer, py = out.pointer, n = rows.inner, s = rows.inner1
        rows.forEachRow { o, oi, _ in
            if s == 1 { (py + o).update(from: px + oi, count: n) } else { for i in 0..<n { py[o + i] = px[oi + i * s] } }
        }
        if Tensor.recording(self) {
            out.record([self]) { g in
                let pg = g.pointer
                self.accumulateGrad { dx in
                    rows.forEachRow { o, oi, _ in for i in 0..<n { dx[oi + i * s] += pg[o + i] } }
                }
            }
        }
        return out
    }

    /// Swaps the last two axes: [.., M, N] → [.., N, M].
    public func transposedLastTwo() -> Tensor {
        precondition(rank >= 2, "transpose needs rank ≥ 2, got \(shape)")
        var p = Array(0..<rank)
        p.swapAt(rank - 1, rank - 2)
        return permuted(p)
    }

    /// [B,S,H] → [B,h,S,d] with H = h·d.
    public func splitHeads(_ heads: Int) -> Tensor {
        precondition(rank == 3 && shape[2] % heads == 0, "splitHeads(\(heads)) needs [B,S,H] with H % heads == 0, got \(shape)")
        return reshaped([shape[0], shape[1], heads, shape[2] / heads]).permuted([0, 2, 1, 3])
    }

    /// [B,h,S,d] → [B,S,h·d].
    public func mergeHeads() -> Tensor {
        precondition(rank == 4, "mergeHeads needs [B,h,S,d], got \(shape)")
        return permuted([0, 2, 1, 3]).reshaped([shape[0], shape[2], shape[1] * shape[3]])
    }

    /// Elements `range` along `axis`.
    public func slice(axis: Int, _ range: Range<Int>) -> Tensor {
        let ax = normalizedAxis(axis)
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[ax],
                     "slice \(range) out of bounds for axis \(ax) of \(shape)")
        let (outer, n, inner) = splitAround(ax)
        let len = range.count, start = range.lowerBound
        var outShape = shape
        outShape[ax] = len
        let out = Tensor(uninitialized: outShape)
        let px = pointer, py = out.pointer, block = len * inner
        for o in 0..<outer { (py + o * block).update(from: px + (o * n + start) * inner, count: block) }
        if Tensor.recording(self) {
            out.record([self]) { g in
                let pg = g.pointer
                self.accumulateGrad { dx in
                    for o in 0..<outer {
                        let d = dx + (o * n + start) * inner, s = pg + o * block
                        for i in 0..<block { d[i] += s[i] }
                    }
                }
            }
        }
        return out
    }

    /// Index `index` of `axis`, with that axis removed (e.g. the [CLS] vectors: x.select(axis: 1, index: 0)).
    public func select(axis: Int, index: Int) -> Tensor {
        let ax = normalizedAxis(axis)
        var s = shape
        s.remove(at: ax)
        return slice(axis: ax, index..<(index + 1)).reshaped(s)
    }

    /// Rows of axis 0 in the order of `indices` (repeats allowed): [N, …] → [indices.count, …].
    public func indexSelect(_ indices: [Int]) -> Tensor {
        precondition(rank >= 1, "indexSelect needs rank ≥ 1")
        let width = count / Swift.max(shape[0], 1)
        for i in indices { precondition(i >= 0 && i < shape[0], "index \(i) out of range 0..<\(shape[0])") }
        let out = Tensor(uninitialized: [indices.count] + shape.dropFirst())
        let px = pointer, py = out.pointer
        for (k, r) in indices.enumerated() { (py + k * width).update(from: px + r * width, count: width) }
        if Tensor.recording(self) {
            out.record([self]) { g in
                let pg = g.pointer
                self.accumulateGrad { dx in
                    for (k, r) in indices.enumerated() {
                        let d = dx + r * width, s = pg + k * width
                        for i in 0..<width { d[i] += s[i] }
                    }
                }
            }
        }
        return out
    }

    /// Rows of this [T, …] tensor placed at `rows` (distinct, each < `count`) of a zero tensor [count, …]: the
    /// padded layout of rows kept packed (`indexSelect(rows)` takes them back out). Gradient: row t of dx is row
    /// `rows[t]` of dy.
    public func scatterRows(_ rows: [Int], count: Int) -> Tensor {
        precondition(rank >= 1 && rows.count == shape[0], "scatterRows: \(rows.count) rows for \(shape)")
        let width = self.count / Swift.max(shape[0], 1)
        var seen = [Bool](repeating: false, count: count)
        for r in rows {
            precondition(r >= 0 && r < count && !seen[r], "scatterRows: row \(r) out of 0..<\(count) or repeated")
            seen[r] = true
        }
        let out = Tensor(zeros: [count] + shape.dropFirst())
        let px = pointer, py = out.pointer
        for (t, r) in rows.enumerated() { (py + r * width).update(from: px + t * width, count: width) }
        if Tensor.recording(self) {
            out.record([self]) { g in
                let pg = g.pointer
                self.accumulateGrad { dx in
                    for (t, r) in rows.enumerated() {
                        let d = dx + t * width, s = pg + r * width
                        for i in 0..<width { d[i] += s[i] }
                    }
                }
            }
        }
        return out
    }

    /// Concatenation along `axis`; all other axes must agree.
    public static func concat(_ parts: [Tensor], axis: Int) -> Tensor {
        precondition(!parts.isEmpty, "concat of no tensors")
        let ax = parts[0].normalizedAxis(axis)
        var outShape = parts[0].shape
        outShape[ax] = 0
        for p in parts {
            var s = p.shape
            s[ax] = 0
            precondition(s == outShape, "concat along \(ax): shapes \(parts.map(\.shape)) differ off the axis")
        }
        outShape[ax] = parts.reduce(0) { $0 + $1.shape[ax] }
        let (outer, total, inner) = (elementCount(Array(outShape[..<ax])), outShape[ax],
                                     elementCount(Array(outShape[(ax + 1)...])))
        let out = Tensor(uninitialized: outShape)
        let py = out.pointer
        var offsets: [Int] = []
        var start = 0
        for p in parts {
            offsets.append(start)
            let block = p.shape[ax] * inner, px = p.pointer
            for o in 0..<outer { (py + (o * total + start) * inner).update(from: px + o * block, count: block) }
            start += p.shape[ax]
        }
        if GradMode.isEnabled && parts.contains(where: { $0.requiresGrad }) {
            out.record(parts) { g in
                let pg = g.pointer
                for (p, st) in zip(parts, offsets) {
                    let block = p.shape[ax] * inner
                    p.accumulateGrad { dx in
                        for o in 0..<outer {
                            let s = pg + (o * total + st) * inner, d = dx + o * block
                            for i in 0..<block { d[i] += s[i] }
                        }
                    }
                }
            }
        }
        return out
    }
}
