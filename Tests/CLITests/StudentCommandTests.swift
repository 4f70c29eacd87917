// `reproduce encode` and `reproduce score`: output layout, agreement with the library, and clear errors.
import Foundation
import Testing
import Student
@testable import CLI

private let miniLM = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/models/all-MiniLM-L6-v2")
private let haveModel = FileManager.default.fileExists(atPath: miniLM.appendingPathComponent("config.json").path)

@Suite struct StudentCommandTests {
    @Test(.enabled(if: haveModel, "needs ../shared/models/all-MiniLM-L6-v2"))
    func encodePrintsOneNormalisedEmbeddingPerLine() {
        let (console, out, err) = Console.capturing(stdin: ["How many people live in London?", "", "Around 9 Million people live in London"])
        #expect(Commands.main(["encode", "--model", miniLM.path], console: console) == 0, "\(err())")
        let rows = out().split(separator: "\n").map { $0.split(separator: "\t").compactMap { Float($0) } }
        #expect(rows.count == 3)
        #expect(rows.allSatisfy { $0.count == 384 })
        for r in rows { #expect(abs(r.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4) }
        let cos = zip(rows[0], rows[2]).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        #expect(abs(cos - 0.8824) < 1e-4)
    }

    @Test(.enabled(if: haveModel, "needs ../shared/models/all-MiniLM-L6-v2"))
    func scoreBuildsAnArchitectureOnAHuggingFaceFolder() {
        let (console, out, err) = Console.capturing(stdin: ["london population\tAround 9 Million people live in London",
                                                             "london population\tThe mitochondria is the powerhouse of the cell"])
        #expect(Commands.main(["score", "--model", miniLM.path, "--arch", "bert-dot"], console: console) == 0, "\(err())")
        let scores = out().split(separator: "\n").compactMap { Float($0) }
        #expect(scores.count == 2)
        #expect(scores[0] > scores[1])
    }

    /// A vocab.txt longer than the model's embedding table would hand the model ids it has no row for: an error naming
    /// both, not a crash; a --vocab that does not exist is an error, not the folder's vocabulary.
    @Test func aVocabularyLongerThanTheEmbeddingTableIsAnError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cli-vocab-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = BertConfig(vocabSize: 8, hiddenSize: 8, numHiddenLayers: 1, numAttentionHeads: 2, intermediateSize: 16,
                           maxPositionEmbeddings: 32)
        try TransformerEncoder(config: c, seed: 1).save(to: dir)
        let tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "c", "d", "e", "zebra"]
        try (tokens.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8)
        for args in [["encode", "--model", dir.path], ["score", "--model", dir.path, "--arch", "bert-dot"]] {
            let (console, _, err) = Console.capturing(stdin: ["zebra\tzebra"])
            #expect(Commands.main(args, console: console) == 1, "\(args)")
            #expect(err().contains("has 11 tokens, but the model in \(dir.path) has 8 embedding rows"), "\(args): \(err())")
        }
        let (console, _, err) = Console.capturing(stdin: ["a\tb"])
        #expect(Commands.main(["score", "--model", dir.path, "--arch", "bert-dot", "--vocab", dir.appendingPathComponent("none.txt").path],
                              console: console) == 1)
        #expect(err().contains("none.txt: no such file"))
    }

    @Test func scoreErrorsSayWhatToDo() {
        let (console, _, err) = Console.capturing()
        #expect(Commands.main(["score", "--model", "/nonexistent"], console: console) == 2)
        #expect(err().contains("give --arch"))
        let (c2, _, e2) = Console.capturing()
        #expect(Commands.main(["score"], console: c2) == 2)
        #expect(e2().contains("missing --model"))
        let (c3, _, e3) = Console.capturing()
        #expect(Commands.main(["encode", "--model", "/nonexistent"], console: c3) == 1)
        #expect(e3().contains("cannot load the model"))
    }
}
