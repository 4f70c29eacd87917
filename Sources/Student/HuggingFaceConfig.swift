// Decoding the configuration files of Hugging Face / sentence-transformers model folders (Docs/Student.md:
// "Loading real Hugging Face / sentence-transformers folders"):
//
//   config.json                 BERT hyper-parameters               → BertConfig
//   modules.json                the sentence-transformers pipeline  → [SentenceTransformerModule]
//   1_Pooling/config.json       pooling modes                       → PoolingConfig
//   2_Dense/config.json         optional projection                 → DenseConfig
//   sentence_bert_config.json   max_seq_length, do_lower_case       → SentenceBertConfig
//
// Every file is read into a `JSONFields` view that reports a missing or mistyped field as a
// `HuggingFaceConfigError` naming the file and the field. The folder as a whole is `HuggingFaceFolder`
// (HuggingFaceFolder.swift). Leaves out: weights (see SafeTensors in Tensors), tokenizer.json (the Vocab module
// reads vocab.txt), architectures other than BERT and DistilBERT.

import Foundation

/// A config file that is missing, is not JSON, or lacks or mistypes a field.
public struct HuggingFaceConfigError: Error, Equatable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        case missingFile
        case badJSON(String)
        case missingField(String)
        /// `field` holds something other than `expected` (e.g. "a positive integer").
        case badField(String, expected: String)
        /// A value the code does not implement (e.g. hidden_act "swish", a pooling mode combination).
        case unsupported(String, value: String)
    }
    public let file: String
    public let kind: Kind
    public init(file: String, _ kind: Kind) { self.file = file; self.kind = kind }

    public var description: String {
        switch kind {
        case .missingFile: return "\(file): missing"
        case .badJSON(let d): return "\(file): not valid JSON: \(d)"
        case .missingField(let f): return "\(file): missing field '\(f)'"
        case .badField(let f, let e): return "\(file): field '\(f)' should be \(e)"
        case .unsupported(let f, let v): return "\(file): '\(f)' = \(v) is not supported"
        }
    }
}

/// Typed access to the top-level fields of one JSON object, with errors that name the file and field.
public struct JSONFields {
    public let file: String
    public let object: [String: Any]

    /// Reads and parses `url` (errors name its path).
    public static func read(_ url: URL) throws -> JSONFields {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw HuggingFaceConfigError(file: url.path, .missingFile)
        }
        let any: Any
        do { any = try JSONSerialization.jsonObject(with: try Data(contentsOf: url)) } catch {
            throw HuggingFaceConfigError(file: url.path, .badJSON(error.localizedDescription))
        }
        guard let object = any as? [String: Any] else {
            throw HuggingFaceConfigError(file: url.path, .badJSON("top level is not an object"))
        }
        return JSONFields(file: url.path, object: object)
    }

    public init(file: String, object: [String: Any]) { self.file = file; self.object = object }

    func fail(_ k: HuggingFaceConfigError.Kind) -> HuggingFaceConfigError { HuggingFaceConfigError(file: file, k) }

    public func has(_ key: String) -> Bool { object[key] != nil && !(object[key] is NSNull) }

    /// An integer field (JSON booleans and fractions are refused). `minimum` bounds it below.
    public func int(_ key: String, minimum: Int = 0) throws -> Int {
        guard has(key) else { throw fail(.missingField(key)) }
        guard let n = object[key] as? NSNumber, "islqISLQ".contains(String(cString: n.objCType)),
              n.int64Value >= Int64(minimum) else {
            throw fail(.badField(key, expected: "an integer ≥ \(minimum)"))
        }
        return Int(n.int64Value)
    }

    public func int(_ key: String, minimum: Int = 0, default value: Int) throws -> Int {
        has(key) ? try int(key, minimum: minimum) : value
    }

    /// A finite number field (integers accepted).
    public func double(_ key: String) throws -> Double {
        guard has(key) else { throw fail(.missingField(key)) }
        guard let n = object[key] as? NSNumber, String(cString: n.objCType) != "c", n.doubleValue.isFinite else {
            throw fail(.badField(key, expected: "a number"))
        }
        return n.doubleValue
    }

    public func double(_ key: String, default value: Double) throws -> Double {
        has(key) ? try double(key) : value
    }

    public func string(_ key: String) throws -> String {
        guard has(key) else { throw fail(.missingField(key)) }
        guard let s = object[key] as? String else { throw fail(.badField(key, expected: "a string")) }
        return s
    }

    public func string(_ key: String, default value: String) throws -> String {
        has(key) ? try string(key) : value
    }

    public func bool(_ key: String) throws -> Bool {
        guard has(key) else { throw fail(.missingField(key)) }
        guard let n = object[key] as? NSNumber, String(cString: n.objCType) == "c" else {
            throw fail(.badField(key, expected: "true or false"))
        }
        return n.boolValue
    }

    public func bool(_ key: String, default value: Bool) throws -> Bool {
        has(key) ? try bool(key) : value
    }
}

/// BERT hyper-parameters from `config.json` (the fields `BertModel` reads).
public struct BertConfig: Equatable, Sendable {
    public var vocabSize: Int               // V = 30522
    public var hiddenSize: Int              // H = 384
    public var numHiddenLayers: Int         // L = 6
    public var numAttentionHeads: Int       // A = 12 (head size H/A = 32)
    public var intermediateSize: Int        // F = 1536
    /// "gelu" (erf form, as HF `gelu`), "gelu_new"/"gelu_pytorch_tanh" (tanh form) or "relu".
    public var hiddenAct: String
    public var maxPositionEmbeddings: Int   // 512
    public var typeVocabSize: Int           // 2
    public var layerNormEps: Double         // 1e-12
    public var padTokenId: Int              // 0
    public var modelType: String            // "bert"
    public var positionEmbeddingType: String // "absolute"

    public static let supportedActivations: Set<String> = ["gelu", "gelu_new", "gelu_pytorch_tanh", "relu"]

    public init(vocabSize: Int, hiddenSize: Int, numHiddenLayers: Int, numAttentionHeads: Int,
                intermediateSize: Int, hiddenAct: String = "gelu", maxPositionEmbeddings: Int = 512,
                typeVocabSize: Int = 2, layerNormEps: Double = 1e-12, padTokenId: Int = 0,
                modelType: String = "bert", positionEmbeddingType: String = "absolute") {
        self.vocabSize = vocabSize; self.hiddenSize = hiddenSize; self.numHiddenLayers = numHiddenLayers
        self.numAttentionHeads = numAttentionHeads; self.intermediateSize = intermediateSize
        self.hiddenAct = hiddenAct; self.maxPositionEmbeddings = maxPositionEmbeddings
        self.typeVocabSize = typeVocabSize; self.layerNormEps = layerNormEps; self.padTokenId = padTokenId
        self.modelType = modelType; self.positionEmbeddingType = positionEmbeddingType
    }

    /// Size of one attention head, H / A.
    public var headSize: Int { hiddenSize / numAttentionHeads }

    /// Decodes `config.json`. Defaults follow `transformers.BertConfig` for the optional fields. A DistilBERT
    /// configuration (`model_type` "distilbert": `dim`, `n_layers`, `n_heads`, `hidden_dim`, `activation`) is read as
    /// the BERT it is — the same post-LayerNorm layers — with `modelType` "distilbert": no token-type embeddings
    /// (the loader gives it a zero table), LayerNorm ε 1e-12, learned positions only.
    public init(fields j: JSONFields) throws {
        if try j.string("model_type", default: "bert") == "distilbert" {
            try self.init(distilBERT: j)
            return
        }
        self.init(vocabSize: try j.int("vocab_size", minimum: 1),
                  hiddenSize: try j.int("hidden_size", minimum: 1),
                  numHiddenLayers: try j.int("num_hidden_layers", minimum: 0),
                  numAttentionHeads: try j.int("num_attention_heads", minimum: 1),
                  intermediateSize: try j.int("intermediate_size", minimum: 1),
                  hiddenAct: try j.string("hidden_act", default: "gelu"),
                  maxPositionEmbeddings: try j.int("max_position_embeddings", minimum: 1, default: 512),
                  typeVocabSize: try j.int("type_vocab_size", minimum: 0, default: 2),
                  layerNormEps: try j.double("layer_norm_eps", default: 1e-12),
                  padTokenId: try j.int("pad_token_id", minimum: 0, default: 0),
                  modelType: try j.string("model_type", default: "bert"),
                  positionEmbeddingType: try j.string("position_embedding_type", default: "absolute"))
        guard hiddenSize % numAttentionHeads == 0 else {
            throw j.fail(.badField("num_attention_heads", expected: "a divisor of hidden_size \(hiddenSize)"))
        }
        guard Self.supportedActivations.contains(hiddenAct) else { throw j.fail(.unsupported("hidden_act", value: hiddenAct)) }
        guard positionEmbeddingType == "absolute" else {
            throw j.fail(.unsupported("position_embedding_type", value: positionEmbeddingType))
        }
        guard layerNormEps > 0 else { throw j.fail(.badField("layer_norm_eps", expected: "a positive number")) }
        guard padTokenId < vocabSize else { throw j.fail(.badField("pad_token_id", expected: "< vocab_size")) }
    }

    /// `transformers.DistilBertConfig`'s fields.
    init(distilBERT j: JSONFields) throws {
        self.init(vocabSize: try j.int("vocab_size", minimum: 1),
                  hiddenSize: try j.int("dim", minimum: 1),
                  numHiddenLayers: try j.int("n_layers", minimum: 0),
                  numAttentionHeads: try j.int("n_heads", minimum: 1),
                  intermediateSize: try j.int("hidden_dim", minimum: 1),
                  hiddenAct: try j.string("activation", default: "gelu"),
                  maxPositionEmbeddings: try j.int("max_position_embeddings", minimum: 1, default: 512),
                  typeVocabSize: 2, layerNormEps: 1e-12,
                  padTokenId: try j.int("pad_token_id", minimum: 0, default: 0),
                  modelType: "distilbert", positionEmbeddingType: "absolute")
        guard hiddenSize % numAttentionHeads == 0 else {
            throw j.fail(.badField("n_heads", expected: "a divisor of dim \(hiddenSize)"))
        }
        guard Self.supportedActivations.contains(hiddenAct) else { throw j.fail(.unsupported("activation", value: hiddenAct)) }
        guard try !j.bool("sinusoidal_pos_embds", default: false) else {
            throw j.fail(.unsupported("sinusoidal_pos_embds", value: "true"))
        }
        guard padTokenId < vocabSize else { throw j.fail(.badField("pad_token_id", expected: "< vocab_size")) }
    }

    public static func read(_ url: URL) throws -> BertConfig { try BertConfig(fields: try JSONFields.read(url)) }

    /// `config.json` text for this configuration (keys sorted), e.g. for a saved layer-reduced student: loading it
    /// back gives the reduced shape.
    public func jsonData() -> Data {
        func num(_ d: Double) -> String { d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : "\(d)" }
        let fields: [(String, String)] = [
            ("architectures", "[\"BertModel\"]"), ("hidden_act", "\"\(hiddenAct)\""),
            ("hidden_size", "\(hiddenSize)"), ("intermediate_size", "\(intermediateSize)"),
            ("layer_norm_eps", num(layerNormEps)), ("max_position_embeddings", "\(maxPositionEmbeddings)"),
            ("model_type", "\"\(modelType)\""), ("num_attention_heads", "\(numAttentionHeads)"),
            ("num_hidden_layers", "\(numHiddenLayers)"), ("pad_token_id", "\(padTokenId)"),
            ("position_embedding_type", "\"\(positionEmbeddingType)\""), ("type_vocab_size", "\(typeVocabSize)"),
            ("vocab_size", "\(vocabSize)"),
        ]
        return Data(("{\n" + fields.map { "  \"\($0.0)\": \($0.1)" }.joined(separator: ",\n") + "\n}\n").utf8)
    }
}
