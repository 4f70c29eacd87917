// Projections with a fitted PCAModel: transform (with or without centring), inverse transform, and the
// projection onto the span of the first k components. All products run on `Kernels.sgemm` in Float32.
// Leaves out: whitening (dividing by √λ), batching over files larger than memory.
//
// Letters: n = rows, d = embedding dimension, k = components used.

import Tensors

extension PCAModel {
    /// W for the first k components as a Float tensor.  [k × d]
    public func componentsTensor(k: Int? = nil) -> Tensor {
        let k = k ?? componentCount
        precondition(k >= 1 && k <= componentCount, "k = \(k) outside 1…\(componentCount)")
        return Tensor(shape: [k, dimension], scalars: components[0..<(k * dimension)].map { Float($0) })
    }

    /// y = W·(x − μ) per row when `centered` (scikit-learn's `transform`), else y = W·x (the Dense head).
    /// `x` [n × d] → [n × k]. The centring subtracts μ in Double and rounds once to Float.
    public func transform(_ x: Tensor, k: Int? = nil, centered: Bool = true) -> Tensor {
        precondition(x.rank == 2 && x.shape[1] == dimension, "transform: expected [n × \(dimension)], got \(x.shape)")
        let n = x.shape[0]
        let w = componentsTensor(k: k)
        let kk = w.shape[0]
        let input = centered ? centeredCopy(x) : x
        let y = Tensor(zeros: [n, kk])
        if n > 0 {
            // y[n×k] = input[n×d] · Wᵀ[d×k]
            Kernels.sgemm(transA: false, transB: true, m: n, n: kk, k: dimension, alpha: 1,
                          a: input.pointer, lda: dimension, b: w.pointer, ldb: dimension,
                          beta: 0, c: y.pointer, ldc: kk)
        }
        return y
    }

    /// x̂ = Wₖᵀ·y + μ per row (drop `+ μ` when `centered` is false, the inverse of the uncentred transform).
    /// `y` [n × k] with k ≤ componentCount → [n × d]. With k = d on full-rank data this is the identity.
    public func inverseTransform(_ y: Tensor, centered: Bool = true) -> Tensor {
        precondition(y.rank == 2 && y.shape[1] >= 1 && y.shape[1] <= componentCount,
                     "inverseTransform: expected [n × k], k ≤ \(componentCount); got \(y.shape)")
        let n = y.shape[0], k = y.shape[1]
        let w = componentsTensor(k: k)
        let x = Tensor(zeros: [n, dimension])
        if n > 0 {
            // x[n×d] = y[n×k] · W[k×d]
            Kernels.sgemm(transA: false, transB: false, m: n, n: dimension, k: k, alpha: 1,
                          a: y.pointer, lda: k, b: w.pointer, ldb: dimension, beta: 0, c: x.pointer, ldc: dimension)
        }
        if centered {
            let p = x.pointer
            for i in 0..<n { for j in 0..<dimension { p[i * dimension + j] += Float(mean[j]) } }
        }
        return x
    }

    /// The orthogonal projection of each row onto μ + span(w₀…wₖ₋₁): inverseTransform(transform(x, k)).
    /// Idempotent: project(project(x)) = project(x).
    public func project(_ x: Tensor, k: Int? = nil) -> Tensor {
        inverseTransform(transform(x, k: k))
    }

    /// x − μ per row, rounded once to Float.  [n × d]
    func centeredCopy(_ x: Tensor) -> Tensor {
        let n = x.shape[0]
        let out = Tensor(zeros: [n, dimension])
        let src = x.pointer, dst = out.pointer
        mean.withUnsafeBufferPointer { m in
            for i in 0..<n {
                for j in 0..<dimension { dst[i * dimension + j] = Float(Double(src[i * dimension + j]) - m[j]) }
            }
        }
        return out
    }
}
