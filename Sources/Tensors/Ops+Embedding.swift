// Embedding lookup: rows of a table gathered by token id, with a row-sparse backward.
//   weight [V,H], ids (N = Π idShape) → y [idShape…, H],   y[k] = weight[ids[k]]
//   dweight[r] += Σ_{k: ids[k] = r} g[k]
//
// Backward cost is O(N·H), never O(V·H): the table's gradient is allocated (zero) once, on the first backward; each
// backward adds only into the rows it uses and records them (`gradTouchedRows`), and `zeroGrad()` then clears only
// those rows. If any dense op also writes the table's gradient (tied weights), tracking is dropped and `zeroGrad()`
// clears the whole table. The optimiser still updates every row (dense Adam, as PyTorch's `torch.optim.Adam`).

extension Tensor {
    /// Gathers rows of `weight` [V,H] for `ids`; the result has shape `idShape + [H]` (default `[ids.count, H]`).
    public static func embedding(_ weight: Tensor, ids: [Int], idShape: [Int]? = nil) -> Tensor {
        precondition(weight.rank == 2, "embedding table must be [V,H], got \(weight.shape)")
        let v = weight.shape[0], h = weight.shape[1]
        let lead = idShape ?? [ids.count]
        precondition(elementCount(lead) == ids.count, "idShape \(lead) does not hold \(ids.count) ids")
        let out = Tensor(uninitialized: lead + [h])
        let pw = weight.pointer, py = out.pointer
        for (k, id) in ids.enumerated() {
            precondition(id >= 0 && id < v, "token id \(id) out of range 0..<\(v)")
            (py + k * h).update(from: pw + id * h, count: h)
        }
        if Tensor.recording(weight) {
            out.record([weight]) { g in
                let pg = g.pointer
                if weight.grad == nil {
                    weight.grad = Tensor(zeros: weight.shape)
                    weight.gradTouchedRows = []
                }
                let dw = weight.grad!.pointer
                for (k, id) in ids.enumerated() {
                    let d = dw + id * h, s = pg + k * h
                    for i in 0..<h { d[i] += s[i] }
                }
                weight.gradTouchedRows?.append(contentsOf: ids)
            }
        }
        return out
    }
}
