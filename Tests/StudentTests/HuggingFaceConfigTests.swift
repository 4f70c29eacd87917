// Config decoding of Hugging Face / sentence-transformers folders: the real all-MiniLM-L6-v2 folder (when
// ../shared is there), hand-written folders (Dense, old 0_Transformer layout, bare BERT), and malformed copies that
// must each give a typed error naming the file and the field.

import Foundation
import Testing
import Tensors
import PropertyTesting
@testable import Student

private let miniConfig = """
    {"architectures": ["BertModel"], "hidden_act": "gelu", "hidden_size": 384, "intermediate_size": 1536,
     "layer_norm_eps": 1e-12, "max_position_embeddings": 512, "model_type": "bert", "num_attention_heads": 12,
     "num_hidden_layers": 6, "pad_token_id": 0, "position_embedding_type": "absolute", "type_vocab_size": 2,
     "vocab_size": 30522}
    """
private let miniModules = """
    [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
     {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
     {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}]
    """
private let miniPooling = """
    {"word_embedding_dimension": 384, "pooling_mode_cls_token": false, "pooling_mode_mean_tokens": true,
     "pooling_mode_max_tokens": false, "pooling_mode_mean_sqrt_len_tokens": false}
    """

/// Writes `files` (relative path → text) into a fresh folder.
private func folder(_ files: [String: String]) throws -> URL {
    let dir = try StudentPaths.temporaryFolder()
    for (path, text) in files {
        let url = dir.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }
    return dir
}

private let miniFiles = ["config.json": miniConfig, "modules.json": miniModules, "1_Pooling/config.json": miniPooling,
                         "sentence_bert_config.json": #"{"max_seq_length": 256, "do_lower_case": false}"#]

/// The error loading `files` gives (nil when it loads).
private func loadError(_ files: [String: String]) throws -> HuggingFaceConfigError? {
    let dir = try folder(files)
    defer { try? FileManager.default.removeItem(at: dir) }
    do { _ = try HuggingFaceFolder.load(dir); return nil } catch let e as HuggingFaceConfigError {
        return HuggingFaceConfigError(file: String(e.file.dropFirst(dir.path.count + 1)), e.kind)
    }
}

@Suite struct HuggingFaceConfigTests {
    @Test(.enabled(if: StudentPaths.miniLMAvailable, "needs ../shared/models/all-MiniLM-L6-v2"))
    func realMiniLMFolder() throws {
        let f = try HuggingFaceFolder.load(StudentPaths.miniLM)
        #expect(f.bert == BertConfig(vocabSize: 30522, hiddenSize: 384, numHiddenLayers: 6, numAttentionHeads: 12,
                                     intermediateSize: 1536))
        #expect(f.bert.headSize == 32)
        #expect(f.modules.map(\.kind) == [.transformer, .pooling, .normalize])
        #expect(f.modules.map(\.path) == ["", "1_Pooling", "2_Normalize"])
        #expect(f.pooling == PoolingConfig(wordEmbeddingDimension: 384, modes: [.mean]))
        #expect(f.dense.isEmpty && f.normalize)
        #expect(f.sentenceBert?.maxSeqLength == 256 && f.sentenceBert?.doLowerCase == false)
        #expect(f.maxSeqLength == 256 && f.embeddingDimension == 384)
        #expect(FileManager.default.fileExists(atPath: f.weightsURL.path))
        #expect(FileManager.default.fileExists(atPath: f.vocabURL.path))
    }

    @Test func handWrittenFolderMatchesRealOne() throws {
        #expect(try loadError(miniFiles) == nil)
        let dir = try folder(miniFiles)
        defer { try? FileManager.default.removeItem(at: dir) }
        let f = try HuggingFaceFolder.load(dir)
        #expect(f.bert.layerNormEps == 1e-12 && f.bert.hiddenAct == "gelu" && f.bert.maxPositionEmbeddings == 512)
        #expect(f.normalize && f.pooling?.modes == [.mean])
    }

    @Test func denseOldLayoutAndBareBert() throws {
        // An old-style folder: transformer in 0_Transformer, CLS + mean pooling (768 out), Dense 768 → 128.
        let dir = try folder([
            "modules.json": """
                [{"idx": 0, "name": "0", "path": "0_Transformer", "type": "sentence_transformers.models.Transformer"},
                 {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                 {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"}]
                """,
            "0_Transformer/config.json": miniConfig,
            "1_Pooling/config.json": #"{"word_embedding_dimension": 384, "pooling_mode_cls_token": true, "pooling_mode_mean_tokens": true}"#,
            "2_Dense/config.json": #"{"in_features": 768, "out_features": 128, "bias": false, "activation_function": "torch.nn.modules.linear.Identity"}"#,
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let f = try HuggingFaceFolder.load(dir)
        #expect(f.transformerFolder.lastPathComponent == "0_Transformer")
        #expect(f.pooling?.modes == [.cls, .mean] && f.pooling?.outputDimension == 768)
        #expect(f.dense.count == 1 && f.dense[0].outFeatures == 128 && !f.dense[0].bias)
        #expect(f.dense[0].weightsURL.path.hasSuffix("2_Dense/model.safetensors"))
        #expect(f.embeddingDimension == 128 && !f.normalize && f.sentenceBert == nil && f.maxSeqLength == 512)

        let bare = try folder(["config.json": miniConfig])
        defer { try? FileManager.default.removeItem(at: bare) }
        let b = try HuggingFaceFolder.load(bare)
        #expect(b.modules.map(\.kind) == [.transformer] && b.pooling == nil && b.embeddingDimension == 384)
    }

    /// Each supported `hidden_act` is computed as it names: a folder saved with it loads with that activation, and
    /// `gelu` and `gelu_new` give different outputs (before this check every activation was computed as erf GELU).
    @Test func hiddenActivationIsHonoured() throws {
        var outputs: [String: [Float]] = [:]
        for act in ["gelu", "gelu_new", "gelu_pytorch_tanh", "relu"] {
            let c = BertConfig(vocabSize: 30, hiddenSize: 16, numHiddenLayers: 1, numAttentionHeads: 2, intermediateSize: 32,
                               hiddenAct: act, maxPositionEmbeddings: 16)
            let dir = try StudentPaths.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: dir) }
            let made = TransformerEncoder(config: c, seed: 5)
            try made.save(to: dir)
            let loaded = try TransformerEncoder.load(dir)
            #expect(loaded.layers[0].activation == BertLayer.Activation(huggingFace: act))
            outputs[act] = withNoGrad { loaded(EncoderInput(sequences: [[2, 5, 7, 3]])) }.scalars
        }
        #expect(outputs["gelu"] != outputs["gelu_new"] && outputs["gelu"] != outputs["relu"])
        #expect(outputs["gelu_new"] == outputs["gelu_pytorch_tanh"])
    }

    @Test func reducedConfigRoundTrips() throws {
        propertyCheck(Gen.zip(.int(in: 0...12), .int(in: 1...8), .int(in: 1...5000)), cases: 40) { layers, heads, vocab in
            let c = BertConfig(vocabSize: vocab, hiddenSize: heads * 16, numHiddenLayers: layers,
                               numAttentionHeads: heads, intermediateSize: heads * 64, layerNormEps: 1e-5)
            let dir = try StudentPaths.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: dir) }
            let url = dir.appendingPathComponent("config.json")
            try c.jsonData().write(to: url)
            try require(try BertConfig.read(url) == c, "round trip changed \(c)")
        }
    }

    @Test func malformedFilesNameFileAndField() throws {
        func with(_ path: String, _ text: String) -> [String: String] { var f = miniFiles; f[path] = text; return f }
        func replacing(_ path: String, _ a: String, _ b: String) -> [String: String] {
            with(path, miniFiles[path]!.replacingOccurrences(of: a, with: b))
        }
        let cases: [([String: String], HuggingFaceConfigError)] = [
            (miniFiles.filter { $0.key != "config.json" }, .init(file: "config.json", .missingFile)),
            (with("config.json", "{\"vocab_size\": 3"), .init(file: "config.json", .badJSON(""))),
            (with("config.json", "[1]"), .init(file: "config.json", .badJSON("top level is not an object"))),
            (replacing("config.json", "\"hidden_size\": 384,", ""), .init(file: "config.json", .missingField("hidden_size"))),
            (replacing("config.json", "\"hidden_size\": 384", "\"hidden_size\": \"384\""),
             .init(file: "config.json", .badField("hidden_size", expected: "an integer ≥ 1"))),
            (replacing("config.json", "\"hidden_size\": 384", "\"hidden_size\": 384.5"),
             .init(file: "config.json", .badField("hidden_size", expected: "an integer ≥ 1"))),
            (replacing("config.json", "\"num_attention_heads\": 12", "\"num_attention_heads\": 7"),
             .init(file: "config.json", .badField("num_attention_heads", expected: "a divisor of hidden_size 384"))),
            (replacing("config.json", "\"gelu\"", "\"swish\""), .init(file: "config.json", .unsupported("hidden_act", value: "swish"))),
            (replacing("config.json", "1e-12", "true"), .init(file: "config.json", .badField("layer_norm_eps", expected: "a number"))),
            (replacing("modules.json", "\"path\": \"1_Pooling\", ", ""), .init(file: "modules.json", .missingField("[1].path"))),
            (replacing("modules.json", "models.Normalize", "models.LayerNorm"),
             .init(file: "modules.json", .unsupported("modules[2].type", value: "sentence_transformers.models.LayerNorm"))),
            (with("modules.json", "{}"), .init(file: "modules.json", .badJSON("top level is not a non-empty array"))),
            (miniFiles.filter { $0.key != "1_Pooling/config.json" }, .init(file: "1_Pooling/config.json", .missingFile)),
            (replacing("1_Pooling/config.json", "384", "768"),
             .init(file: "1_Pooling/config.json", .badField("word_embedding_dimension", expected: "the hidden size 384"))),
            (replacing("1_Pooling/config.json", "\"pooling_mode_mean_tokens\": true", "\"pooling_mode_mean_tokens\": 1"),
             .init(file: "1_Pooling/config.json", .badField("pooling_mode_mean_tokens", expected: "true or false"))),
            (replacing("1_Pooling/config.json", "\"pooling_mode_mean_tokens\": true", "\"pooling_mode_mean_tokens\": false"),
             .init(file: "1_Pooling/config.json", .unsupported("pooling_mode_*", value: "none switched on"))),
            (with("sentence_bert_config.json", #"{"do_lower_case": false}"#),
             .init(file: "sentence_bert_config.json", .missingField("max_seq_length"))),
        ]
        for (files, want) in cases {
            let got = try loadError(files)
            if case .badJSON = want.kind, case .badJSON? = got?.kind, want.kind == .badJSON("") {
                #expect(got?.file == want.file); continue
            }
            #expect(got == want)
            #expect(got.map { "\($0)".contains(want.file) } ?? false)
        }
    }
}
