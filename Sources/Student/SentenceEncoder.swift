// A sentence-transformers model: transformer → pooling → optional Dense layers → optional L2 normalisation.
// For all-MiniLM-L6-v2: mean pooling over the attention mask (padding excluded), then Normalize.
// Chaulwar et al. §3 distil exactly this kind of model; a PCA head is one more bias-free Dense layer.
// Leaves out: pooling modes other than mean, CLS and max (sentence-transformers' weighted-mean and last-token).
//
// Letters: B batch, S sequence, H hidden, E output embedding size.

import Foundation
import Tensors

/// A Dense head: y = act(W·x + b).
public struct DenseHead: @unchecked Sendable {
    public enum Activation: String, Sendable { case identity, tanh }
    public let linear: Linear
    public let activation: Activation

    public init(linear: Linear, activation: Activation) { self.linear = linear; self.activation = activation }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let y = linear(x)
        return activation == .tanh ? y.tanh() : y
    }
}

public final class SentenceEncoder: @unchecked Sendable {
    public enum Pooling: String, Sendable { case mean, cls, max }

    public let encoder: TransformerEncoder
    public let pooling: Pooling
    public var dense: [DenseHead]
    public let normalize: Bool
    /// Inputs are cut to this many word pieces ([CLS] and [SEP] included).
    public let maxSeqLength: Int

    public init(encoder: TransformerEncoder, pooling: Pooling = .mean, dense: [DenseHead] = [], normalize: Bool = true,
                maxSeqLength: Int = 256) {
        self.encoder = encoder; self.pooling = pooling; self.dense = dense
        self.normalize = normalize; self.maxSeqLength = maxSeqLength
    }

    /// Output embedding size E.
    public var dimension: Int { dense.last?.linear.outFeatures ?? encoder.hiddenSize }

    public var parameters: [NamedParameter] {
        var p = ParameterList()
        p.add(prefix: "", encoder.parameters)
        for (i, d) in dense.enumerated() { p.add(prefix: "dense.\(i)", d.linear.parameters) }
        return p.items
    }

    /// Sentence embeddings [B,E] of a batch of token-id sequences.
    public func callAsFunction(_ input: EncoderInput) -> Tensor {
        let hidden = encoder(input)                                               // [B,S,H]
        var e = SentenceEncoder.pool(hidden, input: input, mode: pooling)       // [B,H]
        for d in dense { e = d(e) }                                               // [B,E]
        return normalize ? e.l2Normalized() : e
    }

    /// Pools token states [B,S,H] into [B,H]. Mean: Σ_s mask_s·h_s / max(Σ_s mask_s, 1e-9) (sentence-transformers
    /// clamps the count at 1e-9); CLS: h_0; max: max over real tokens.
    public static func pool(_ hidden: Tensor, input: EncoderInput, mode: Pooling) -> Tensor {
        let b = input.batch, s = input.length
        switch mode {
        case .cls:
            return hidden.select(axis: 1, index: 0)
        case .mean:
            let mask = Tensor(shape: [b, s, 1], scalars: input.mask)
            let counts = Tensor(shape: [b, 1], scalars: input.lengths.map { Float(max($0, 1)) })
            return (hidden * mask).sum(axis: 1) / counts
        case .max:
            let m = Tensor(shape: [b, s, 1], scalars: input.mask.map { $0 != 0 ? 0 : -1e9 })
            return (hidden + m).max(axis: 1)
        }
    }

    /// Loads a sentence-transformers folder (Transformer, Pooling, optional Dense, optional Normalize).
    public static func load(_ url: URL) throws -> SentenceEncoder {
        let folder = try HuggingFaceFolder.load(url)
        let encoder = try TransformerEncoder.load(folder)
        var mode = Pooling.mean
        if let p = folder.pooling {
            guard p.modes.count == 1 else {
                throw EncoderWeightsError(file: url.path, message: "pooling modes \(p.modes) (only one of mean, cls, max is supported)")
            }
            switch p.modes[0] {
            case .mean: mode = .mean
            case .cls: mode = .cls
            case .max: mode = .max
            default: throw EncoderWeightsError(file: url.path, message: "pooling mode \(p.modes[0].rawValue) is not supported")
            }
        }
        var heads: [DenseHead] = []
        for d in folder.dense {
            let st = try SafeTensorsFile(contentsOf: d.weightsURL)
            let act: DenseHead.Activation
            switch d.activationFunction.split(separator: ".").last ?? "" {
            case "Identity": act = .identity
            case "Tanh": act = .tanh
            default: throw EncoderWeightsError(file: d.weightsURL.path, message: "activation \(d.activationFunction) is not supported")
            }
            let w = try st.tensor("linear.weight")
            guard w.shape == [d.outFeatures, d.inFeatures] else {
                throw EncoderWeightsError(file: d.weightsURL.path, message: "linear.weight \(w.shape) ≠ [\(d.outFeatures), \(d.inFeatures)]")
            }
            heads.append(DenseHead(linear: Linear(weight: w, bias: d.bias ? try st.tensor("linear.bias") : nil), activation: act))
        }
        return SentenceEncoder(encoder: encoder, pooling: mode, dense: heads, normalize: folder.normalize,
                               maxSeqLength: folder.maxSeqLength)
    }
}
