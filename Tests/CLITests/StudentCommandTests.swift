// `reproduce encode` and `reproduce score`: output layout, agreement with the library, and clear errors.
import Foundation
import PropertyTesting
import Student
import Testing
@testable import CLI

private let miniLM = Shared.miniLM
private let haveModel = Shared.has("models/all-MiniLM-L6-v2/config.json")

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

    /// A collection encoded in three shards (any order) and merged is the unsharded output byte for byte; each row is
    /// the embedding `encode` prints for the passage's text.
    @Test(.enabled(if: haveModel, "needs ../shared/models/all-MiniLM-L6-v2"))
    func encodeACollectionInShardsAndMerge() throws {
        let dir = testScratchRoot.appendingPathComponent("cli-encode-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let texts = (0..<40).map { "passage \($0) about \(["rivers", "stones", "music", "london"][$0 % 4]) and more \($0 * 7)" }
        try texts.enumerated().map { "\(3 * $0.offset + 1)\t\($0.element)" }.joined(separator: "\n")
            .write(to: dir.appendingPathComponent("c.tsv"), atomically: true, encoding: .utf8)
        func run(_ args: [String]) -> Int32 {
            let (console, _, _) = Console.capturing()
            return Commands.main(["encode", "--model", miniLM.path, "--collection", dir.appendingPathComponent("c.tsv").path,
                                  "--block-size", "8"] + args, console: console)
        }
        #expect(run(["--out", dir.appendingPathComponent("all.f32").path]) == 0)
        for i in [2, 0, 1] { #expect(run(["--out", dir.appendingPathComponent("p\(i).f32").path, "--shard", "\(i)/3"]) == 0) }
        let (console, _, err) = Console.capturing()
        #expect(Commands.main(["encode"] + [1, 2, 0].flatMap { ["--merge", dir.appendingPathComponent("p\($0).f32").path] }
                              + ["--out", dir.appendingPathComponent("m.f32").path], console: console) == 0, "\(err())")
        let all = try Data(contentsOf: dir.appendingPathComponent("all.f32"))
        #expect(try Data(contentsOf: dir.appendingPathComponent("m.f32")) == all && all.count == 40 * 384 * 4)
        #expect(try String(contentsOf: dir.appendingPathComponent("m.f32.ids"), encoding: .utf8)
                == (0..<40).map { "\(3 * $0 + 1)\n" }.joined())
        let (c2, out2, _) = Console.capturing(stdin: [texts[5]])
        #expect(Commands.main(["encode", "--model", miniLM.path], console: c2) == 0)
        let printed = out2().split(separator: "\t").compactMap { Float($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        let row = all.withUnsafeBytes { b in (0..<384).map { Float(bitPattern: UInt32(littleEndian: b.loadUnaligned(fromByteOffset: (5 * 384 + $0) * 4, as: UInt32.self))) } }
        #expect(printed.count == 384 && zip(printed, row).allSatisfy { abs($0 - $1) <= 1e-5 })
        let (c3, _, e3) = Console.capturing()
        #expect(Commands.main(["encode", "--merge", dir.appendingPathComponent("p0.f32").path,
                               "--out", dir.appendingPathComponent("x.f32").path], console: c3) == 1)
        #expect(e3().contains("missing shards 1/3, 2/3"), "\(e3())")
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
        let dir = testScratchRoot.appendingPathComponent("cli-vocab-\(getpid())")
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
