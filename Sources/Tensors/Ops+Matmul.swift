// Matrix products: matmul (2-D and batched, with transpose flags) and linear (x·Wᵀ + b, PyTorch weight layout).
// All work goes to `Kernels.sgemm` / `Kernels.sgemmBatched`; backward passes accumulate into the gradients with
// beta = 1, so no temporary is allocated.
//
// Letters: M, K, N matrix sizes; B… batch dimensions (any number, equal for both operands).
//   C = α·op(A)·op(B),  op(A) [M,K], op(B) [K,N], C [M,N]
//   dA = α·dC·op(B)ᵀ      (stored as A; with transA, dA = α·op(B)·dCᵀ)
//   dB = α·op(A)ᵀ·dC      (stored as B; with transB, dB = α·dCᵀ·op(A))
// linear: y [.., out] = x [.., in] · Wᵀ (W [out, in]) + b [out]
//   dx = dy·W (NN),  dW = dyᵀ·x (TN),  db = Σ_rows dy.

extension Tensor {
    /// op(self)·op(other). Both operands are rank ≥ 2; the last two axes are the matrix, the leading axes are
    /// batch axes and must be equal, or `other` is 2-D and shared by every batch entry (e.g. [B,S,K]·[K,N]).
    /// `transposeA` / `transposeB` use the transpose of the last two axes without copying; `alpha` scales the
    /// product for free (attention's 1/√d).
    public func matmul(_ other: Tensor, transposeA: Bool = false, transposeB: Bool = false, alpha: Float = 1) -> Tensor {
        let a = self, b = other
        precondition(a.rank >= 2 && b.rank >= 2, "matmul needs rank ≥ 2 operands, got \(a.shape) and \(b.shape)")
        let aRows = a.shape[a.rank - 2], aCols = a.shape[a.rank - 1]
        let bRows = b.shape[b.rank - 2], bCols = b.shape[b.rank - 1]
        let m = transposeA ? aCols : aRows, k = transposeA ? aRows : aCols
        let kb = transposeB ? bCols : bRows, n = transposeB ? bRows : bCols
        precondition(k == kb, "matmul inner sizes differ: \(a.shape)\(transposeA ? "ᵀ" : "") · \(b.shape)\(transposeB ? "ᵀ" : "")")
        let batchShape = Array(a.shape.dropLast(2))
        let sharedB = b.rank == 2 && a.rank > 2
        precondition(sharedB || Array(b.shape.dropLast(2)) == batchShape,
                     "matmul batch axes differ: \(a.shape) · \(b.shape)")
        let batch = elementCount(batchShape)
        let out = Tensor(uninitialized: batchShape + [m, n])
        let lda = aCols, ldb = bCols
        if sharedB && !transposeA {
            // Fold the batch into the rows: [B·M, K]·op(B).
            Kernels.sgemm(transA: false, transB: transposeB, m: batch * m, n: n, k: k, alpha: alpha,
                          a: a.pointer, lda: lda, b: b.pointer, ldb: ldb, beta: 0, c: out.pointer, ldc: n)
        } else {
            Kernels.sgemmBatched(transA: transposeA, transB: transposeB, m: m, n: n, k: k, alpha: alpha,
                                 a: a.pointer, lda: lda, strideA: aRows * aCols,
                                 b: b.pointer, ldb: ldb, strideB: sharedB ? 0 : bRows * bCols,
                                 beta: 0, c: out.pointer, ldc: n, strideC: m * n, batch: batch)
        }
        if Tensor.recording(a, b) {
            let aS = a.storage, bS = b.storage
            out.record([a, b]) { g in
                let pa = aS.pointer, pb = bS.pointer, pg = g.pointer
                a.accumulateGrad { da in
                    if !transposeA {
                        // dA [M,K] = dC [M,N] · op(B)ᵀ
                        Kernels.sgemmBatched(transA: false, transB: !transposeB, m: m, n: k, k: n, alpha: alpha,
                                             a: pg, lda: n, strideA: m * n, b: pb, ldb: ldb,
                                             strideB: sharedB ? 0 : bRows * bCols,
                                             beta: 1, c: da, ldc: aCols, strideC: aRows * aCols, batch: batch)
                    } else {
                        // dA [K,M] = op(B) [K,N] · dCᵀ [N,M]
                        Kernels.sgemmBatched(transA: transposeB, transB: true, m: k, n: m, k: n, alpha: alpha,
                                             a: pb, lda: ldb, strideA: sharedB ? 0 : bRows * bCols,
                                             b: pg, ldb: n, strideB: m * n,
                                             beta: 1, c: da, ldc: aCols, strideC: aRows * aCols, batch: batch)
                    }
                }
                b.accumulateGrad { db in
                    if sharedB && !transposeA {
                        // One product over the folded rows.
                        if !transposeB {
                            Kernels.sgemm(transA: true, transB: false, m: k, n: n, k: batch * m, alpha: alpha,
                                          a: pa, lda: lda, b: pg, ldb: n, beta: 1, c: db, ldc: ldb)
                        } else {
                            Kernels.sgemm(transA: true, transB: false, m: n, n: k, k: batch * m, alpha: alpha,
                                          a: pg, lda: n, b: pa, ldb: lda, beta: 1, c: db, ldc: ldb)
                        }
                        return
                    }
                    if !sharedB {
                        // One product per batch entry, each into its own dB: in parallel over the entries, as the
                        // forward pass (attention's dK and dV: batch × heads products too small to thread inside).
                        if !transposeB {
                            // dB [K,N] = op(A)ᵀ [K,M] · dC [M,N]
                            Kernels.sgemmBatched(transA: !transposeA, transB: false, m: k, n: n, k: m, alpha: alpha,
                                                 a: pa, lda: lda, strideA: aRows * aCols, b: pg, ldb: n,
                                                 strideB: m * n, beta: 1, c: db, ldc: ldb, strideC: bRows * bCols,
                                                 batch: batch)
                        } else {
                            // dB [N,K] = dCᵀ [N,M] · op(A) [M,K]
                            Kernels.sgemmBatched(transA: true, transB: transposeA, m: n, n: k, k: m, alpha: alpha,
                                                 a: pg, lda: n, strideA: m * n, b: pa, ldb: lda,
                                                 strideB: aRows * aCols, beta: 1, c: db, ldc: ldb,
                                                 strideC: bRows * bCols, batch: batch)
                        }
                        return
                    }
                    for i in 0..<batch {   // sharedB with transposeA: every batch entry accumulates into one dB, in turn
                        let ai = pa + i * aRows * aCols, gi = pg + i * m * n
                        if !transposeB {
                            Kernels.sgemm(transA: !transposeA, transB: false, m: k, n: n, k: m, alpha: alpha,
                                          a: ai, lda: lda, b: gi, ldb: n, beta: 1, c: db, ldc: ldb)
                        } else {
                            Kernels.sgemm(transA: true, transB: transposeA, m: n, n: k, k: m, alpha: alpha,
                                          a: gi, lda: n, b: ai, ldb: lda, beta: 1, c: db, ldc: ldb)
                        }
                    }
                }
            }
        }
        return out
    }

    /// y = x·Wᵀ + b over the last axis: x [.., in], weight [out, in] (PyTorch layout), bias [out] or nil.
    public func linear(weight: Tensor, bias: Tensor? = nil) -> Tensor {
        let x = self
        precondition(x.rank >= 1 && weight.rank == 2 && x.shape[x.rank - 1] == weight.shape[1],
                     "linear: input \(x.shape) needs last axis = weight \(weight.shape)[1]")
        let inF = weight.shape[1], outF = weight.shape[0]
        if let b = bias { precondition(b.shape == [outF], "linear: bias \(b.shape) must be [\(outF)]") }
        let rows = x.count / Swift.max(inF, 1)
        let out = Tensor(uninitialized: Array(x.shape.dropLast()) + [outF])
        let py = out.pointer
        if let b = bias {
            for r in 0..<rows { (py + r * outF).update(from: b.pointer, count: outF) }
        }
        // Inside `Kernels.withPackedWeights` (a training step), W is packed once for all of the step's products.
        let cache = weight.isLeaf ? PackedWeightCache.current : nil
        let wS = weight.storage
        Kernels.sgemm(transA: false, transB: true, m: rows, n: outF, k: inF, a: x.pointer, lda: inF,
                      weight: wS, b: weight.pointer, ldb: inF, beta: bias == nil ? 0 : 1, c: py, ldc: outF,
                      cache: cache)
        let parents = bias.map { [x, weight, $0] } ?? [x, weight]
        if GradMode.isEnabled && parents.contains(where: { $0.requiresGrad }) {
            let xS = x.storage
            out.record(parents) { g in
                let pg = g.pointer
                // dx [rows,in] = dy [rows,out] · W [out,in]
                x.accumulateGrad { dx in
                    Kernels.sgemm(transA: false, transB: false, m: rows, n: inF, k: outF, a: pg, lda: outF,
                                  weight: wS, b: wS.pointer, ldb: inF, beta: 1, c: dx, ldc: inF, cache: cache)
                }
                // dW [out,in] = dyᵀ [out,rows] · x [rows,in]
                weight.accumulateGrad { dw in
                    Kernels.sgemm(transA: true, transB: false, m: outF, n: inF, k: rows, a: pg, lda: outF,
                                  b: xS.pointer, ldb: inF, beta: 1, c: dw, ldc: inF)
                }
                // db [out] = Σ_rows dy
                bias?.accumulateGrad { db in
                    for r in 0..<rows { let gr = pg + r * outF; for j in 0..<outF { db[j] += gr[j] } }
                }
            }
        }
        return out
    }
}
