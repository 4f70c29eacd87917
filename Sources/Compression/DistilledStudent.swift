// A distilled student: its encoder (mean pooling, no normalisation: it regresses the teacher's — possibly
// PCA-projected — embeddings), its own tokenizer, its fixed token size and the configuration it came from.
// Saved as a sentence-transformers folder: modules.json (Transformer → Pooling), config.json + model.safetensors
// (Hugging Face BertModel names), vocab.txt + tokenizer_config.json, sentence_bert_config.json (max_seq_length =
// token size), 1_Pooling/config.json, plus distillation.json (our configuration) and pca.json when PCA was used.
// `SentenceTransformer(folder)` loads it (checked: Docs/Compression.md). Leaves out: ONNX export.

import Foundation
import Corpus
import Tensors
import Student
import Vocab
import PCA

public final class DistilledStudent: @unchecked Sendable {
    public let model: SentenceEncoder
    public let tokenizer: BertTokenizer
    public let config: DistillConfig
    /// The PCA fitted on the teacher's embeddings (nil for a full-width student).
    public let pca: PCAModel?

    public init(model: SentenceEncoder, tokenizer: BertTokenizer, config: DistillConfig, pca: PCAModel?) {
        self.model = model; self.tokenizer = tokenizer; self.config = config; self.pca = pca
    }

    public var tokenSize: Int { config.tokenSize }
    public var dimension: Int { model.dimension }

    /// `[CLS] … [SEP]` ids of `text`, cut to the token size.
    public func inputIDs(_ text: String) -> [Int] {
        tokenizer.encode(text, maxLength: tokenSize).ids.map(Int.init)
    }

    /// Embeddings [n × k] of `texts`.
    public func embed(_ texts: [String], batchSize: Int = 32) -> [[Float]] {
        model.embed(ids: texts.map(inputIDs), batchSize: batchSize)
    }

    // MARK: - Save / load

    /// Writes the folder atomically: into a temporary sibling, then renamed over `folder`.
    public func save(to folder: URL) throws {
        let fm = FileManager.default
        let tmp = folder.deletingLastPathComponent()
            .appendingPathComponent(".\(folder.lastPathComponent).tmp-\(UUID().uuidString)")
        try fm.createDirectory(at: tmp, withIntermediateDirectories: true)
        do {
            try model.encoder.save(to: tmp)
            try tokenizer.vocabulary.write(to: tmp.appendingPathComponent("vocab.txt").path)
            let k = model.encoder.hiddenSize
            try write(tmp, "modules.json", """
                [
                  {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                  {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}
                ]
                """)
            try write(tmp, "sentence_bert_config.json", "{\"max_seq_length\": \(tokenSize), \"do_lower_case\": false}")
            try write(tmp, "tokenizer_config.json", """
                {"do_lower_case": true, "strip_accents": null, "tokenize_chinese_chars": true,
                 "model_max_length": \(tokenSize), "tokenizer_class": "BertTokenizer",
                 "unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]", "mask_token": "[MASK]"}
                """)
            try fm.createDirectory(at: tmp.appendingPathComponent("1_Pooling"), withIntermediateDirectories: true)
            try write(tmp, "1_Pooling/config.json", """
                {"word_embedding_dimension": \(k), "pooling_mode_cls_token": false, "pooling_mode_mean_tokens": true,
                 "pooling_mode_max_tokens": false, "pooling_mode_mean_sqrt_len_tokens": false}
                """)
            try config.canonicalJSON().write(to: tmp.appendingPathComponent("distillation.json"))
            if let pca { try pca.save(to: tmp.appendingPathComponent("pca.json").path) }
            try moveIntoPlace(tmp, to: folder)
        } catch {
            try? fm.removeItem(at: tmp)
            throw error
        }
    }

    private func write(_ dir: URL, _ name: String, _ text: String) throws {
        try Data((text + "\n").utf8).write(to: dir.appendingPathComponent(name), options: .atomic)
    }

    /// Loads a folder written by `save(to:)`.
    public static func load(from folder: URL) throws -> DistilledStudent {
        let model = try SentenceEncoder.load(folder)
        let tokenizer = try BertTokenizer(vocabFile: folder.appendingPathComponent("vocab.txt").path)
        let configURL = folder.appendingPathComponent("distillation.json")
        let config: DistillConfig
        do { config = try JSONDecoder().decode(DistillConfig.self, from: Data(contentsOf: configURL)) } catch {
            throw StudentFolderError(file: configURL.path, message: "not a distillation configuration: \(error)")
        }
        guard tokenizer.vocabulary.count == model.encoder.config.vocabSize else {
            throw StudentFolderError(file: folder.appendingPathComponent("vocab.txt").path, message:
                "\(tokenizer.vocabulary.count) tokens, config.json says vocab_size \(model.encoder.config.vocabSize)")
        }
        let pcaPath = folder.appendingPathComponent("pca.json").path
        let pca = FileManager.default.fileExists(atPath: pcaPath) ? try PCAModel.load(from: pcaPath) : nil
        return DistilledStudent(model: model, tokenizer: tokenizer, config: config, pca: pca)
    }
}
