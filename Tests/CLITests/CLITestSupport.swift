// What several command-line suites read: ../shared beside the package (its data and models) when it is there.
import Foundation
import PropertyTesting
import Student

enum Shared {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("../shared").standardizedFileURL
    static let data = root.appendingPathComponent("data")
    static let miniLM = root.appendingPathComponent("models/all-MiniLM-L6-v2")
    /// Whether `path` (relative to ../shared) exists.
    static func has(_ path: String) -> Bool { FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path) }
    static var trecDL: Bool { has("data/msmarco-passage-trec-dl/dl19/qrels.txt") && has("models/all-MiniLM-L6-v2/config.json") }
    static var devSmall: Bool { trecDL && has("data/msmarco-passage-dev-small/bm25-top20.tsv") }
}

/// A fresh, empty temporary folder named after `name`.
func scratchFolder(_ name: String) throws -> URL { try scratchDirectory("cli-tests-\(name)") }

/// A random 2-layer, hidden-64 teacher on the miniature fixtures' vocabulary (BERT's special ids, then words), saved
/// as a sentence-transformers folder (Transformer → mean Pooling → Normalize), and `n` texts of its words.
func tinySentenceTransformer(in dir: URL, texts n: Int) throws -> (teacher: URL, texts: URL) {
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/FullScale/model/vocab.txt")
    let vocab = try String(contentsOf: fixtures, encoding: .utf8)
    let words = vocab.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("[") }
    let teacher = dir.appendingPathComponent("teacher")
    let c = BertConfig(vocabSize: vocab.split(separator: "\n").count, hiddenSize: 64, numHiddenLayers: 2,
                       numAttentionHeads: 2, intermediateSize: 128, maxPositionEmbeddings: 64)
    try TransformerEncoder(config: c, pooler: false, seed: 3).save(to: teacher)
    try vocab.write(to: teacher.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8)
    try Data("""
        [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
         {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
         {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}]
        """.utf8).write(to: teacher.appendingPathComponent("modules.json"))
    try FileManager.default.createDirectory(at: teacher.appendingPathComponent("1_Pooling"), withIntermediateDirectories: true)
    try Data("{\"word_embedding_dimension\": 64, \"pooling_mode_mean_tokens\": true}".utf8)
        .write(to: teacher.appendingPathComponent("1_Pooling/config.json"))
    var state: UInt64 = 7
    func next(_ k: Int) -> Int { state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return Int(state >> 33) % k }
    let texts = (0..<n).map { _ in (0..<(3 + next(7))).map { _ in words[next(words.count)] }.joined(separator: " ") }
    let file = dir.appendingPathComponent("texts.txt")
    try texts.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
    return (teacher, file)
}
