// `reproduce distill` end to end on a tiny teacher saved as a sentence-transformers folder: it trains, saves a
// folder that loads with the reduced shape, and rejects bad options with a usage error.

import Foundation
import Testing
import Student
import Compression
@testable import CLI

/// A random 2-layer, hidden-64 teacher on the miniature fixtures' vocabulary (BERT's special ids, then words), saved
/// as a sentence-transformers folder (Transformer → mean Pooling → Normalize), and `n` texts of its words.
private func tinyTeacherFolder(in dir: URL, texts n: Int) throws -> (teacher: URL, texts: URL) {
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

@Suite struct DistillCommandTests {
    /// A temporary folder with a saved tiny teacher and 96 texts; the caller removes `dir`.
    func folderWithTeacherAndTexts() throws -> (dir: URL, teacher: URL, texts: URL, out: URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("distill-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let (teacher, texts) = try tinyTeacherFolder(in: dir, texts: 96)
        return (dir, teacher, texts, dir.appendingPathComponent("student"))
    }

    @Test func distilsAndSavesAStudentThatLoads() throws {
        let (dir, teacher, texts, out) = try folderWithTeacherAndTexts()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (console, stdout, stderr) = Console.capturing()
        let code = Commands.main(["distill", "--teacher", teacher.path, "--texts", texts.path, "--vocab", "70",
                                  "--dim", "32", "--layers", "1", "--ranker", "semantic", "--batch-size", "16",
                                  "--epochs", "2", "--lr", "1e-3", "--out", out.path,
                                  "--cache", dir.appendingPathComponent("cache").path], console: console)
        #expect(code == 0, "\(stderr())")
        #expect(stdout().contains("updates 12"), "\(stdout())")
        let s = try DistilledStudent.load(from: out)
        #expect(s.model.encoder.config.hiddenSize == 32 && s.model.encoder.config.numHiddenLayers == 1)
        #expect(s.tokenSize == 52 && s.tokenizer.vocabulary.count <= 70 && s.config.shape.vocabulary == .trained(size: 70))
    }

    @Test func badOptionsAreUsageErrors() throws {
        for args in [["--vocab", "lots"], ["--dim", "0"], ["--ranker", "cross"], ["--lr", "-1"],
                     ["--project-teacher-layers", "2,5"], ["--project-teacher-layers", "five"]] {
            let (console, _, err) = Console.capturing()
            #expect(Commands.main(["distill"] + args, console: console) == 2, "\(args): \(err())")
        }
        // A token size beyond the positions the student inherits from the teacher: a usage error before any work.
        let (dir, teacher, texts, _) = try folderWithTeacherAndTexts()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (c2, _, e2) = Console.capturing()
        #expect(Commands.main(["distill", "--teacher", teacher.path, "--texts", texts.path, "--token-size", "1000"], console: c2) == 2)
        #expect(e2().contains("--token-size 1000 exceeds the teacher's 64 positions"))
        let (console, _, err) = Console.capturing()
        #expect(Commands.main(["distill", "--teacher", "/nonexistent"], console: console) == 1)
        #expect(err().contains("cannot load the teacher"))
    }

    @Test func projectedTeacherLayersStartTheNarrowStudent() throws {
        let (dir, teacher, texts, out) = try folderWithTeacherAndTexts()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (console, _, stderr) = Console.capturing()
        let code = Commands.main(["distill", "--teacher", teacher.path, "--texts", texts.path, "--dim", "32",
                                  "--layers", "1", "--project-teacher-layers", "1", "--batch-size", "16", "--steps", "2",
                                  "--token-size", "64",   // the tiny teacher's 64 positions, which the student inherits
                                  "--out", out.path, "--cache", dir.appendingPathComponent("cache").path],
                                 console: console)
        #expect(code == 0, "\(stderr())")
        let s = try DistilledStudent.load(from: out)
        #expect(s.config.settings.projectedTeacherLayers == [1] && s.model.encoder.config.hiddenSize == 32)
        // A full-width student has no subspace to project into: a clear error, not a silent random start.
        let (console2, _, err2) = Console.capturing()
        #expect(Commands.main(["distill", "--teacher", teacher.path, "--texts", texts.path, "--dim", "64",
                               "--project-teacher-layers", "1", "--steps", "1", "--token-size", "64",
                               "--cache", dir.appendingPathComponent("cache").path], console: console2) != 0)
        #expect(err2().contains("narrow student"), "\(err2())")
    }
}
