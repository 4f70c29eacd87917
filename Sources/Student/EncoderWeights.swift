// Reading and writing a TransformerEncoder in Hugging Face's layout: `config.json` + `model.safetensors` with
// `BertModel` parameter names. A saved layer-reduced or narrowed encoder keeps its reduced shape (the config carries
// it), and `transformers.BertModel.from_pretrained` loads the folder (checked once; see Docs/Student.md).

import Foundation
import Tensors

/// A weight file that does not fit the configuration.
public struct EncoderWeightsError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let message: String
    public var description: String { "\(file): \(message)" }
}

extension TransformerEncoder {
    /// Loads the encoder of a Hugging Face / sentence-transformers folder (`config.json`, `model.safetensors`).
    /// Names may carry a `bert.` prefix (BertForSequenceClassification checkpoints); it is stripped. A DistilBERT
    /// folder's names (`transformer.layer.i.attention.q_lin`, …, with or without `distilbert.`) are read into the
    /// same layers, with a zero token-type table (DistilBERT has none, so every token type adds nothing); the encoder
    /// it gives is a BERT (`modelType` "bert"), and saves as one.
    public static func load(_ folder: HuggingFaceFolder) throws -> TransformerEncoder {
        let file = folder.weightsURL.path
        let st = try SafeTensorsFile(contentsOf: folder.weightsURL)
        let distil = folder.bert.modelType == "distilbert"
        var byName: [String: SafeTensorsEntry] = [:]
        for e in st.entries {
            var name = e.name
            for prefix in distil ? ["distilbert."] : ["bert."] where name.hasPrefix(prefix) { name = String(name.dropFirst(prefix.count)) }
            byName[name] = e
        }
        var c = folder.bert
        c.modelType = "bert"
        func tensor(_ name: String, _ shape: [Int]) throws -> Tensor {
            guard let e = byName[name] else {
                throw EncoderWeightsError(file: file, message: "missing tensor '\(name)' (expected shape \(shape))")
            }
            guard e.shape == shape else {
                throw EncoderWeightsError(file: file, message: "tensor '\(name)' has shape \(e.shape), config expects \(shape)")
            }
            return try st.tensor(e.name)
        }
        let h = c.hiddenSize, f = c.intermediateSize
        func linear(_ prefix: String, _ out: Int, _ inp: Int) throws -> Linear {
            Linear(weight: try tensor("\(prefix).weight", [out, inp]), bias: try tensor("\(prefix).bias", [out]))
        }
        func norm(_ prefix: String) throws -> LayerNorm {
            LayerNorm(gamma: try tensor("\(prefix).weight", [h]), beta: try tensor("\(prefix).bias", [h]))
        }
        guard let activation = BertLayer.Activation(huggingFace: c.hiddenAct) else {
            throw EncoderWeightsError(file: folder.transformerFolder.appendingPathComponent("config.json").path, message: "hidden_act \"\(c.hiddenAct)\" is not supported (supported: \(BertConfig.supportedActivations.sorted().joined(separator: ", ")))")
        }
        let layers = try (0..<c.numHiddenLayers).map { i -> BertLayer in
            if distil {
                let p = "transformer.layer.\(i)"
                return BertLayer(query: try linear("\(p).attention.q_lin", h, h), key: try linear("\(p).attention.k_lin", h, h),
                                 value: try linear("\(p).attention.v_lin", h, h),
                                 attentionOutput: try linear("\(p).attention.out_lin", h, h),
                                 attentionNorm: try norm("\(p).sa_layer_norm"),
                                 intermediate: try linear("\(p).ffn.lin1", f, h), output: try linear("\(p).ffn.lin2", h, f),
                                 outputNorm: try norm("\(p).output_layer_norm"), activation: activation)
            }
            let p = "encoder.layer.\(i)"
            return BertLayer(query: try linear("\(p).attention.self.query", h, h),
                             key: try linear("\(p).attention.self.key", h, h),
                             value: try linear("\(p).attention.self.value", h, h),
                             attentionOutput: try linear("\(p).attention.output.dense", h, h),
                             attentionNorm: try norm("\(p).attention.output.LayerNorm"),
                             intermediate: try linear("\(p).intermediate.dense", f, h),
                             output: try linear("\(p).output.dense", h, f),
                             outputNorm: try norm("\(p).output.LayerNorm"), activation: activation)
        }
        let pooler = !distil && byName["pooler.dense.weight"] != nil ? try linear("pooler.dense", h, h) : nil
        return TransformerEncoder(
            config: c,
            wordEmbeddings: try tensor("embeddings.word_embeddings.weight", [c.vocabSize, h]),
            positionEmbeddings: try tensor("embeddings.position_embeddings.weight", [c.maxPositionEmbeddings, h]),
            tokenTypeEmbeddings: distil ? Tensor(zeros: [c.typeVocabSize, h])
                                        : try tensor("embeddings.token_type_embeddings.weight", [c.typeVocabSize, h]),
            embeddingNorm: try norm("embeddings.LayerNorm"), layers: layers, pooler: pooler,
            dropout: Dropout(p: 0.1))
    }

    /// Loads from a folder path.
    public static func load(_ url: URL) throws -> TransformerEncoder { try load(try HuggingFaceFolder.load(url)) }

    /// Writes `config.json` and `model.safetensors` (atomically) into `folder`, creating it.
    public func save(to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try config.jsonData().write(to: folder.appendingPathComponent("config.json"), options: .atomic)
        var tensors: [String: Tensor] = [:]
        for p in parameters { tensors[p.name] = p.tensor }
        try SafeTensors.write(tensors, metadata: ["format": "pt"], to: folder.appendingPathComponent("model.safetensors"))
    }
}
