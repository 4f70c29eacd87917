// int8 weight quantisation (ours, beyond the paper; Docs/Compression.md): every Linear weight and
// the word-embedding matrix W [r,c] is stored as int8 with one fp32 scale per output row,
//     s_i = max_j |W_ij| / 127,   q_ij = round(W_ij / s_i) ∈ [−127, 127],   Ŵ_ij = s_i · q_ij
// (symmetric, per row; a zero row has s_i = 0). Everything else (biases, LayerNorm, position and token-type
// embeddings) stays fp32. Size = int8 bytes + 4·(scales) + 4·(remaining parameters). Quality is measured by running
// the *dequantised* model in fp32 (weights Ŵ), i.e. the rounding error only — not int8 arithmetic.
// Leaves out: activation quantisation, int8 GEMM kernels.
//
// Letters: r rows (output features / vocabulary), c columns (input features / hidden).

import Tensors
import Student

/// One matrix in int8 with per-row scales.
public struct QuantizedMatrix: Sendable, Equatable {
    public let rows: Int, columns: Int
    public let values: [Int8]     // [r·c]
    public let scales: [Float]    // [r]

    /// Quantises `w` [r,c].
    public init(quantizing w: Tensor) {
        precondition(w.rank == 2, "QuantizedMatrix: need a matrix, got \(w.shape)")
        rows = w.shape[0]; columns = w.shape[1]
        var q = [Int8](repeating: 0, count: rows * columns)
        var s = [Float](repeating: 0, count: rows)
        let p = w.pointer, c = columns
        for i in 0..<rows {
            var m: Float = 0
            for j in 0..<c { m = max(m, abs(p[i * c + j])) }
            guard m > 0 else { continue }
            let scale = m / 127
            s[i] = scale
            for j in 0..<c { q[i * c + j] = Int8(max(-127, min(127, (p[i * c + j] / scale).rounded()))) }
        }
        values = q; scales = s
    }

    /// Ŵ = s_i · q_ij as a fp32 tensor [r,c].
    public func dequantized() -> Tensor {
        let t = Tensor(zeros: [rows, columns])
        let p = t.pointer
        for i in 0..<rows { for j in 0..<columns { p[i * columns + j] = scales[i] * Float(values[i * columns + j]) } }
        return t
    }

    /// Stored bytes: one per weight plus four per row scale.
    public var bytes: Int { rows * columns + 4 * rows }
}

/// What quantisation stores.
public struct QuantizationSummary: Codable, Sendable, Equatable {
    /// Names of the quantised tensors.
    public var quantizedTensors: [String]
    public var int8Weights: Int
    public var scales: Int
    public var fp32Parameters: Int
    /// int8 weights + 4·scales + 4·fp32 parameters.
    public var bytes: Int { int8Weights + 4 * scales + 4 * fp32Parameters }
    public var megabytes: Double { Double(bytes) / 1e6 }
}

public enum Int8Quantization {
    /// Whether the parameter `name` (Hugging Face naming) of `tensor` is quantised: every rank-2 weight except the
    /// position and token-type tables, i.e. all Linear weights and the word embeddings.
    public static func isQuantized(name: String, tensor: Tensor) -> Bool {
        tensor.rank == 2 && !name.contains("position_embeddings") && !name.contains("token_type_embeddings")
    }

    /// The summary for `parameters` without building anything.
    public static func summary(_ parameters: [NamedParameter]) -> QuantizationSummary {
        var s = QuantizationSummary(quantizedTensors: [], int8Weights: 0, scales: 0, fp32Parameters: 0)
        for p in parameters {
            if isQuantized(name: p.name, tensor: p.tensor) {
                s.quantizedTensors.append(p.name)
                s.int8Weights += p.tensor.count
                s.scales += p.tensor.shape[0]
            } else {
                s.fp32Parameters += p.tensor.count
            }
        }
        return s
    }

    /// A copy of `model` whose quantised tensors hold Ŵ (the dequantised weights), and the size summary.
    public static func quantize(_ model: SentenceEncoder) -> (model: SentenceEncoder, summary: QuantizationSummary) {
        let e = model.encoder
        let copy = TransformerEncoder(config: e.config, wordEmbeddings: e.wordEmbeddings.copied(),
                                      positionEmbeddings: e.positionEmbeddings.copied(),
                                      tokenTypeEmbeddings: e.tokenTypeEmbeddings.copied(),
                                      embeddingNorm: e.embeddingNorm.copy(), layers: e.layers.map { $0.copy() },
                                      pooler: e.pooler?.copy(), dropout: Dropout(p: 0))
        let q = SentenceEncoder(encoder: copy, pooling: model.pooling,
                                dense: model.dense.map { DenseHead(linear: $0.linear.copy(), activation: $0.activation) },
                                normalize: model.normalize, maxSeqLength: model.maxSeqLength)
        let params = q.parameters
        for p in params where isQuantized(name: p.name, tensor: p.tensor) {
            let w = QuantizedMatrix(quantizing: p.tensor).dequantized()
            p.tensor.pointer.update(from: w.pointer, count: w.count)
        }
        return (q, summary(params))
    }
}
