// The teacher's side of embedding distillation (digest §3.1): the teacher encodes the raw texts once, with its own
// tokenizer and length limit, and the student later regresses these vectors. Pre-computing them from raw text is
// what lets a student with a new vocabulary learn without token alignment (sentence-transformers issue #1801).
// The matrix is cached as safetensors under a key made of the teacher's identity, the length limit and the texts.
//
// Letters: n texts, d teacher embedding size.

import Foundation
import Tensors
import Student
import Vocab
import Training

/// A teacher sentence encoder with its tokenizer and an identity string for cache keys.
public struct Teacher: @unchecked Sendable {
    public let model: SentenceEncoder
    public let tokenizer: BertTokenizer
    /// Names the weights in cache keys (e.g. the folder name plus the weight file's size).
    public let identity: String

    public init(model: SentenceEncoder, tokenizer: BertTokenizer, identity: String) {
        self.model = model; self.tokenizer = tokenizer; self.identity = identity
    }

    /// Loads a sentence-transformers folder (all-MiniLM-L6-v2).
    public static func load(_ folder: URL) throws -> Teacher {
        let f = try HuggingFaceFolder.load(folder)
        let size = (try? FileManager.default.attributesOfItem(atPath: f.weightsURL.path)[.size] as? Int) ?? 0
        return Teacher(model: try SentenceEncoder.load(folder),
                       tokenizer: try BertTokenizer(vocabFile: f.vocabURL.path),
                       identity: "\(folder.standardizedFileURL.lastPathComponent)#\(size)")
    }

    /// Embeddings [n,d] of `texts` read up to `maxLength` word pieces.
    public func embed(_ texts: [String], maxLength: Int, batchSize: Int = 32, progress: ((Double) -> Void)? = nil) -> Tensor {
        let ids = texts.map { tokenizer.encode($0, maxLength: min(maxLength, model.maxSeqLength)).ids.map(Int.init) }
        let rows = model.embed(ids: ids, batchSize: batchSize, progress: progress)
        return Tensor(shape: [texts.count, model.dimension], scalars: rows.flatMap { $0 })
    }
}

public enum TeacherEmbeddingCache {
    /// The cache key: FNV-1a 64 of the teacher identity, the length limit and every text (each followed by 0xFF).
    public static func key(teacher: Teacher, texts: [String], maxLength: Int) -> String {
        var bytes = Array("\(teacher.identity)|\(maxLength)|\(texts.count)|".utf8)
        for t in texts { bytes += Array(t.utf8); bytes.append(0xFF) }
        return stableHash(bytes)
    }

    /// The teacher's embeddings [n,d] of `texts`: read from `directory/teacher-<key>.safetensors` when present,
    /// else computed and written there (atomically). `directory` nil: always computed, nothing written.
    /// `progress`: the share encoded so far, when they are computed.
    public static func embeddings(teacher: Teacher, texts: [String], maxLength: Int,
                                  directory: URL?, progress: ((Double) -> Void)? = nil) throws -> Tensor {
        guard let directory else { return teacher.embed(texts, maxLength: maxLength, progress: progress) }
        let url = directory.appendingPathComponent("teacher-\(key(teacher: teacher, texts: texts, maxLength: maxLength)).safetensors")
        if FileManager.default.fileExists(atPath: url.path) {
            let t = try SafeTensorsFile(contentsOf: url).tensor("embeddings")
            if t.shape == [texts.count, teacher.model.dimension] { return t }
        }
        let e = teacher.embed(texts, maxLength: maxLength, progress: progress)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try SafeTensors.write(["embeddings": e], metadata: ["teacher": teacher.identity, "texts": "\(texts.count)"],
                              to: url)
        return e
    }
}
