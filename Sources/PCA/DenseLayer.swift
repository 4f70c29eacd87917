// A linear layer y = W·x (+ b), the form in which a PCA is appended to a sentence encoder
// (sentence-transformers `models.Dense(in=d, out=k, bias=False, activation=Identity)` with weight = components_;
// extreme-compression paper §3.2 and §4.2 step 2). Leaves out: activations, training (the Student module owns that).
//
// Letters: n = rows, d = input features, k = output features.

import Tensors

/// y = W·x + b for each row x, W [k × d] (PyTorch `nn.Linear` layout), b [k] optional.
public struct DenseLayer: @unchecked Sendable {
    /// W.  [k × d]
    public let weight: Tensor
    /// b, or nil for a bias-free layer.  [k]
    public let bias: Tensor?

    public init(weight: Tensor, bias: Tensor? = nil) {
        precondition(weight.rank == 2, "DenseLayer: weight must be [out × in], got \(weight.shape)")
        if let b = bias { precondition(b.shape == [weight.shape[0]], "DenseLayer: bias \(b.shape) vs weight \(weight.shape)") }
        self.weight = weight; self.bias = bias
    }

    /// d.
    public var inFeatures: Int { weight.shape[1] }
    /// k.
    public var outFeatures: Int { weight.shape[0] }

    /// `x` [n × d] → [n × k]: y = x·Wᵀ (+ b broadcast over rows).
    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank == 2 && x.shape[1] == inFeatures, "DenseLayer: expected [n × \(inFeatures)], got \(x.shape)")
        let n = x.shape[0], k = outFeatures
        let y = Tensor(zeros: [n, k])
        guard n > 0 else { return y }
        Kernels.sgemm(transA: false, transB: true, m: n, n: k, k: inFeatures, alpha: 1,
                      a: x.pointer, lda: inFeatures, b: weight.pointer, ldb: inFeatures, beta: 0, c: y.pointer, ldc: k)
        if let b = bias {
            let bp = b.pointer, yp = y.pointer
            for i in 0..<n { for j in 0..<k { yp[i * k + j] += bp[j] } }
        }
        return y
    }
}

extension PCAModel {
    /// The first k components as a Dense layer.
    ///
    /// `centered: false` (the default unless `denseCentering` is set): **y = W·x, no bias, no centring** — exactly
    /// sentence-transformers' PCA head (`Dense(bias=False)` with `weight = pca.components_`). Its outputs differ from
    /// scikit-learn's `transform` by the constant vector W·μ.
    /// `centered: true`: y = W·x + b with b = −W·μ, i.e. y = W·(x − μ), scikit-learn's `transform`.
    public func denseLayer(k: Int? = nil, centered: Bool? = nil) -> DenseLayer {
        let w = componentsTensor(k: k)
        guard centered ?? denseCentering else { return DenseLayer(weight: w) }
        let kk = w.shape[0]
        var b = [Float](repeating: 0, count: kk)
        for r in 0..<kk {
            var s = 0.0
            for j in 0..<dimension { s += components[r * dimension + j] * mean[j] }
            b[r] = Float(-s)
        }
        return DenseLayer(weight: w, bias: Tensor(shape: [kk], scalars: b))
    }
}
