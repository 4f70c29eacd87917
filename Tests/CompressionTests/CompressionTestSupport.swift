// A tiny teacher (vocabulary trained on a synthetic corpus, hidden 64, 2 layers) and paths for the Compression tests.

import Foundation
import PropertyTesting
import Student
import Tensors
import Vocab
@testable import Compression

enum Tiny {
    static let words = ["ranking", "model", "student", "teacher", "query", "passage", "small", "fast", "energy",
                        "battery", "phone", "vector", "search", "distil", "vocabulary", "token", "layer", "memory"]

    /// n deterministic short texts of 3–9 words.
    static func texts(_ n: Int, seed: UInt64 = 7) -> [String] {
        var rng = Xoshiro256(seed: seed)
        return (0..<n).map { _ in
            (0..<(3 + rng.nextInt(below: 7))).map { _ in words[rng.nextInt(below: words.count)] }.joined(separator: " ")
        }
    }

    static let teacherVocabulary: Vocabulary = try! WordPieceTrainer.train(
        texts: texts(200, seed: 1), config: WordPieceTrainerConfig(vocabSize: 90, minFrequency: 1))

    /// A random 2-layer, hidden-64 teacher with mean pooling and normalisation (like all-MiniLM-L6-v2, smaller).
    static func teacher(hidden: Int = 64, seed: UInt64 = 3) -> Teacher {
        let c = BertConfig(vocabSize: teacherVocabulary.count, hiddenSize: hidden, numHiddenLayers: 2,
                           numAttentionHeads: 2, intermediateSize: 2 * hidden, maxPositionEmbeddings: 64)
        let enc = TransformerEncoder(config: c, pooler: false, seed: seed)
        enc.dropout.p = 0
        return Teacher(model: SentenceEncoder(encoder: enc, pooling: .mean, normalize: true, maxSeqLength: 64),
                       tokenizer: try! BertTokenizer(vocabulary: teacherVocabulary), identity: "tiny-\(seed)")
    }

    static func temporaryFolder() throws -> URL {
        let dir = testScratchRoot.appendingPathComponent("compression-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func settings(steps: Int? = nil, lr: Float = 1e-3) -> DistillationSettings {
        var s = DistillationSettings()
        s.batchSize = 16; s.learningRate = lr; s.maxSteps = steps; s.epochs = 10; s.dropout = 0
        s.vocabMinFrequency = 1; s.warmupFraction = 0.1
        return s
    }
}
