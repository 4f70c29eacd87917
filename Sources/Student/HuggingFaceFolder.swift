// A sentence-transformers (or plain Hugging Face BERT) model folder, its configuration decoded and cross-checked:
// the module pipeline of `modules.json` (Transformer → Pooling → optional Dense → optional Normalize), each module's
// config, and where the weights and vocabulary are. For all-MiniLM-L6-v2: BERT 6×384, mean pooling, Normalize,
// max_seq_length 256. A folder without `modules.json` is a bare transformer (no pooling). Leaves out: reading the
// weights (SafeTensors), modules other than these four (reported as `.other`), `pytorch_model.bin` weights.

import Foundation

/// One entry of `modules.json`.
public struct SentenceTransformerModule: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case transformer, pooling, dense, normalize
        case other(String)
    }
    public let index: Int
    public let name: String
    /// Folder relative to the model folder ("" for the root).
    public let path: String
    public let kind: Kind

    /// The `type` strings of sentence-transformers, by their last component ("…models.Pooling" → .pooling).
    public static func kind(ofType type: String) -> Kind {
        switch type.split(separator: ".").last.map(String.init) ?? type {
        case "Transformer": return .transformer
        case "Pooling": return .pooling
        case "Dense": return .dense
        case "Normalize": return .normalize
        default: return .other(type)
        }
    }
}

/// `1_Pooling/config.json`: which poolings are on; sentence-transformers concatenates them in this order.
public struct PoolingConfig: Equatable, Sendable {
    public enum Mode: String, CaseIterable, Sendable {
        case cls = "pooling_mode_cls_token", max = "pooling_mode_max_tokens", mean = "pooling_mode_mean_tokens"
        case meanSqrtLength = "pooling_mode_mean_sqrt_len_tokens", weightedMean = "pooling_mode_weightedmean_tokens"
        case lastToken = "pooling_mode_lasttoken"
    }
    public let wordEmbeddingDimension: Int
    /// The modes switched on, in concatenation order (cls, max, mean, mean-sqrt-len, weighted mean, last token).
    public let modes: [Mode]
    /// Output size: modes.count × wordEmbeddingDimension.
    public var outputDimension: Int { modes.count * wordEmbeddingDimension }

    public init(wordEmbeddingDimension: Int, modes: [Mode]) {
        self.wordEmbeddingDimension = wordEmbeddingDimension; self.modes = modes
    }

    public init(fields j: JSONFields) throws {
        wordEmbeddingDimension = try j.int("word_embedding_dimension", minimum: 1)
        modes = try Mode.allCases.filter { try j.bool($0.rawValue, default: false) }
        guard !modes.isEmpty else { throw j.fail(.unsupported("pooling_mode_*", value: "none switched on")) }
    }
}

/// `2_Dense/config.json`: y = act(W·x + b), W [out, in], weights in the same folder's `model.safetensors`
/// (`linear.weight`, `linear.bias`).
public struct DenseConfig: Equatable, Sendable {
    public let inFeatures: Int, outFeatures: Int
    public let bias: Bool
    /// The torch class name, e.g. "torch.nn.modules.activation.Tanh" or "torch.nn.modules.linear.Identity".
    public let activationFunction: String
    /// The module's folder.
    public let folder: URL
    public var weightsURL: URL { folder.appendingPathComponent("model.safetensors") }

    public init(fields j: JSONFields, folder: URL) throws {
        inFeatures = try j.int("in_features", minimum: 1)
        outFeatures = try j.int("out_features", minimum: 1)
        bias = try j.bool("bias", default: true)
        activationFunction = try j.string("activation_function", default: "torch.nn.modules.activation.Tanh")
        self.folder = folder
    }
}

/// `sentence_bert_config.json`.
public struct SentenceBertConfig: Equatable, Sendable {
    /// Inputs are cut to this many word pieces, [CLS] and [SEP] included (256 for all-MiniLM-L6-v2).
    public let maxSeqLength: Int
    /// Whether sentence-transformers lower-cases before the tokenizer (false here: the tokenizer itself lower-cases).
    public let doLowerCase: Bool

    public init(fields j: JSONFields) throws {
        maxSeqLength = try j.int("max_seq_length", minimum: 2)
        doLowerCase = try j.bool("do_lower_case", default: false)
    }
}

/// A model folder with every config decoded and cross-checked.
public struct HuggingFaceFolder: Sendable {
    public let url: URL
    public let modules: [SentenceTransformerModule]
    /// The transformer's folder (the root for modern folders; "0_Transformer" in old ones).
    public let transformerFolder: URL
    public let bert: BertConfig
    public let sentenceBert: SentenceBertConfig?
    public let pooling: PoolingConfig?
    public let dense: [DenseConfig]
    public let normalize: Bool

    public var weightsURL: URL { transformerFolder.appendingPathComponent("model.safetensors") }
    public var vocabURL: URL { transformerFolder.appendingPathComponent("vocab.txt") }
    /// Longest input in word pieces: sentence_bert_config's max_seq_length, else max_position_embeddings.
    public var maxSeqLength: Int { min(sentenceBert?.maxSeqLength ?? .max, bert.maxPositionEmbeddings) }
    /// Size of the final sentence embedding (after pooling and any Dense layers); hidden size without pooling.
    public var embeddingDimension: Int { dense.last?.outFeatures ?? pooling?.outputDimension ?? bert.hiddenSize }

    public static func load(_ url: URL) throws -> HuggingFaceFolder { try HuggingFaceFolder(url: url) }

    public init(url: URL) throws {
        self.url = url
        let modulesURL = url.appendingPathComponent("modules.json")
        if FileManager.default.fileExists(atPath: modulesURL.path) {
            modules = try Self.readModules(modulesURL)
        } else {
            modules = [SentenceTransformerModule(index: 0, name: "0", path: "", kind: .transformer)]
        }
        let file = modulesURL.path
        func folder(_ m: SentenceTransformerModule) -> URL { m.path.isEmpty ? url : url.appendingPathComponent(m.path) }
        guard let first = modules.first, first.kind == .transformer else {
            throw HuggingFaceConfigError(file: file, .unsupported("modules[0].type", value: "not a Transformer"))
        }
        transformerFolder = folder(first)
        bert = try BertConfig.read(transformerFolder.appendingPathComponent("config.json"))
        let sb = transformerFolder.appendingPathComponent("sentence_bert_config.json")
        sentenceBert = FileManager.default.fileExists(atPath: sb.path)
            ? try SentenceBertConfig(fields: try JSONFields.read(sb)) : nil

        var pooling: PoolingConfig?, dense: [DenseConfig] = [], normalize = false
        var width = bert.hiddenSize   // the vector size flowing out of the previous module
        for (i, m) in modules.enumerated().dropFirst() {
            let where_ = "modules[\(i)]"
            guard !normalize else {
                throw HuggingFaceConfigError(file: file, .unsupported(where_, value: "a module after Normalize"))
            }
            switch m.kind {
            case .transformer:
                throw HuggingFaceConfigError(file: file, .unsupported(where_, value: "a second Transformer"))
            case .pooling:
                guard pooling == nil, dense.isEmpty else {
                    throw HuggingFaceConfigError(file: file, .unsupported(where_, value: "Pooling out of order"))
                }
                let configURL = folder(m).appendingPathComponent("config.json")
                let p = try PoolingConfig(fields: try JSONFields.read(configURL))
                guard p.wordEmbeddingDimension == width else {
                    throw HuggingFaceConfigError(file: configURL.path, .badField(
                        "word_embedding_dimension", expected: "the hidden size \(width)"))
                }
                pooling = p; width = p.outputDimension
            case .dense:
                guard pooling != nil else {
                    throw HuggingFaceConfigError(file: file, .unsupported(where_, value: "Dense before Pooling"))
                }
                let configURL = folder(m).appendingPathComponent("config.json")
                let d = try DenseConfig(fields: try JSONFields.read(configURL), folder: folder(m))
                guard d.inFeatures == width else {
                    throw HuggingFaceConfigError(file: configURL.path, .badField(
                        "in_features", expected: "the previous module's output size \(width)"))
                }
                dense.append(d); width = d.outFeatures
            case .normalize:
                normalize = true
            case .other(let type):
                throw HuggingFaceConfigError(file: file, .unsupported("\(where_).type", value: type))
            }
        }
        self.pooling = pooling; self.dense = dense; self.normalize = normalize
    }

    static func readModules(_ url: URL) throws -> [SentenceTransformerModule] {
        let any: Any
        do { any = try JSONSerialization.jsonObject(with: try Data(contentsOf: url)) } catch {
            throw HuggingFaceConfigError(file: url.path, .badJSON(error.localizedDescription))
        }
        guard let list = any as? [Any], !list.isEmpty else {
            throw HuggingFaceConfigError(file: url.path, .badJSON("top level is not a non-empty array"))
        }
        return try list.enumerated().map { i, item in
            guard let object = item as? [String: Any] else {
                throw HuggingFaceConfigError(file: url.path, .badField("[\(i)]", expected: "an object"))
            }
            let j = JSONFields(file: url.path, object: object)
            func field<T>(_ get: () throws -> T) throws -> T {
                do { return try get() } catch let e as HuggingFaceConfigError {
                    switch e.kind {   // name the entry: "modules[1].type"
                    case .missingField(let f): throw HuggingFaceConfigError(file: e.file, .missingField("[\(i)].\(f)"))
                    case .badField(let f, let x): throw HuggingFaceConfigError(file: e.file, .badField("[\(i)].\(f)", expected: x))
                    default: throw e
                    }
                }
            }
            let type = try field { try j.string("type") }
            return SentenceTransformerModule(index: try field { try j.int("idx", default: i) },
                                             name: try field { try j.string("name", default: String(i)) },
                                             path: try field { try j.string("path") },
                                             kind: SentenceTransformerModule.kind(ofType: type))
        }
    }
}
