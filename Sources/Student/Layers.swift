// Small parameterised building blocks: Linear (PyTorch layout), LayerNorm, Dropout with its own seeded stream.

import Tensors

/// y = x·Wᵀ + b, W [out, in] as PyTorch stores it.
public final class Linear: @unchecked Sendable {
    public let weight: Tensor       // [out, in]
    public let bias: Tensor?        // [out]

    public init(weight: Tensor, bias: Tensor?) {
        precondition(weight.rank == 2, "Linear weight must be [out, in], got \(weight.shape)")
        if let bias { precondition(bias.shape == [weight.shape[0]], "Linear bias \(bias.shape) ≠ [\(weight.shape[0])]") }
        self.weight = weight; self.bias = bias
    }

    /// Weights N(0, std²), bias zero (BERT's initialisation with std 0.02).
    public convenience init(inFeatures: Int, outFeatures: Int, bias: Bool = true, std: Float = 0.02,
                            rng: inout Xoshiro256) {
        self.init(weight: .randomNormal([outFeatures, inFeatures], std: std, rng: &rng),
                  bias: bias ? Tensor(zeros: [outFeatures]) : nil)
    }

    public var inFeatures: Int { weight.shape[1] }
    public var outFeatures: Int { weight.shape[0] }

    public func callAsFunction(_ x: Tensor) -> Tensor { x.linear(weight: weight, bias: bias) }

    public var parameters: [NamedParameter] {
        var p = ParameterList()
        p.add("weight", weight)
        if let bias { p.add("bias", bias) }
        return p.items
    }

    public func copy() -> Linear { Linear(weight: weight.copied(), bias: bias?.copied()) }
}

/// y = (x − mean)/√(var + eps) · γ + β over the last axis.
public final class LayerNorm: @unchecked Sendable {
    public let gamma: Tensor        // [H] ("weight")
    public let beta: Tensor         // [H] ("bias")

    public init(gamma: Tensor, beta: Tensor) { self.gamma = gamma; self.beta = beta }
    public convenience init(size: Int) {
        self.init(gamma: Tensor(repeating: 1, shape: [size]), beta: Tensor(zeros: [size]))
    }

    public func callAsFunction(_ x: Tensor, eps: Float) -> Tensor { x.layerNorm(gamma: gamma, beta: beta, eps: eps) }

    public var parameters: [NamedParameter] {
        var p = ParameterList()
        p.add("weight", gamma)
        p.add("bias", beta)
        return p.items
    }

    public func copy() -> LayerNorm { LayerNorm(gamma: gamma.copied(), beta: beta.copied()) }
}

/// Inverted dropout with its own seeded random stream; active only while `training` is on and grad mode is enabled.
public final class Dropout: @unchecked Sendable {
    public var p: Float
    public var training = false
    private var rng: Xoshiro256

    public init(p: Float, seed: UInt64 = 0xD20_0D20) { self.p = p; rng = Xoshiro256(seed: seed) }

    public func callAsFunction(_ x: Tensor) -> Tensor { x.dropout(p, training: training, rng: &rng) }

    /// Reseeds the stream (for deterministic resumption of training).
    public func reseed(_ seed: UInt64) { rng = Xoshiro256(seed: seed) }
}

extension Tensor {
    /// A deep copy of the values, as a fresh leaf (no gradient, no graph).
    public func copied() -> Tensor { Tensor(shape: shape, storage: storage.copy()) }
}
