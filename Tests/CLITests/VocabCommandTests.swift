// `reproduce tokenize`, `reproduce vocab train` and `reproduce vocab sweep`: output, help and errors.
import Foundation
import PropertyTesting
import Testing
@testable import CLI

@Suite struct VocabCommandTests {
    static let vocabFile: String = {
        let path = testScratchRoot.appendingPathComponent("cli-vocab-\(getpid()).txt").path
        let tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "world", ",", "!", "wor", "##ld", "un", "##a"]
        try! tokens.map { $0 + "\n" }.joined().write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }()

    @Test func tokenizePrintsOneLinePerInput() {
        let (console, out, _) = Console.capturing(stdin: ["Hello, WORLD!", "unaa xyz", ""])
        #expect(Commands.main(["tokenize", "--vocab", Self.vocabFile], console: console) == 0)
        #expect(out() == "2 5 7 6 8 3\n2 11 12 12 1 3\n2 3\n")
    }

    @Test func tokenizePairsTruncationAndTokens() {
        let (console, out, _) = Console.capturing(stdin: ["hello world hello\tworld"])
        #expect(Commands.main(["tokenize", "--vocab", Self.vocabFile, "--pair", "--max-length", "5", "--tokens"],
                              console: console) == 0)
        #expect(out() == "[CLS] hello [SEP] world [SEP]\n")
        let (c2, out2, _) = Console.capturing(stdin: ["hello"])
        #expect(Commands.main(["tokenize", "--vocab", Self.vocabFile, "--max-length", "5", "--pad"], console: c2) == 0)
        #expect(out2() == "2 5 3 0 0\n")
    }

    @Test func tokenizeErrors() {
        let (c1, _, e1) = Console.capturing(stdin: ["x"])
        #expect(Commands.main(["tokenize", "--vocab", "/nonexistent/vocab.txt"], console: c1) == 1)
        #expect(e1().contains("/nonexistent/vocab.txt: no such vocabulary file"))
        let bad = testScratchRoot.appendingPathComponent("cli-bad-\(getpid()).txt").path
        try? "[PAD]\n[UNK]\n\n[CLS]\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let (c2, _, e2) = Console.capturing(stdin: ["x"])
        #expect(Commands.main(["tokenize", "--vocab", bad], console: c2) == 1)
        #expect(e2().contains("\(bad):3: empty token"))
        let (c3, _, e3) = Console.capturing(stdin: ["no tab here"])
        #expect(Commands.main(["tokenize", "--vocab", Self.vocabFile, "--pair"], console: c3) == 1)
        #expect(e3().contains("line 1: --pair expects"))
        let (c4, _, e4) = Console.capturing()
        #expect(Commands.main(["tokenize"], console: c4) == 2)
        #expect(e4().contains("missing --vocab"))
    }

    @Test func vocabTrainWritesAVocabulary() throws {
        let dir = testScratchRoot.appendingPathComponent("cli-train-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = dir.appendingPathComponent("corpus.txt").path
        try "low lower lowest\nnewer newest new\r\nwider widest wide\n".write(toFile: corpus, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("vocab.txt").path
        let (console, _, err) = Console.capturing()
        #expect(Commands.main(["vocab", "train", "--size", "30", "--min-frequency", "1", "--out", out, corpus],
                              console: console) == 0)
        let tokens = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(tokens.count == 30)
        #expect(tokens.prefix(5) == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
        #expect(err().contains("30 tokens"))
        let (c2, out2, _) = Console.capturing()
        #expect(Commands.main(["vocab", "sweep", "--sizes", "30,25", "--hidden", "8", "--rule", "mb:0.0009",
                               "--min-frequency", "1", corpus], console: c2) == 0)
        #expect(out2().contains("| 25 **V\\*** | 25 |"))
        let (c5, out5, _) = Console.capturing()
        #expect(Commands.main(["vocab", "sweep", "--sizes", "30", "--min-frequency", "1", "--reference", out, corpus],
                              console: c5) == 0)
        #expect(out5().contains("Reference \(out): V = 30, fertility"))
        let (c3, _, e3) = Console.capturing()
        #expect(Commands.main(["vocab", "train", "--size", "30", "--out", out, dir.appendingPathComponent("none").path],
                              console: c3) == 1)
        #expect(e3().contains("cannot read corpus file"))
        let (c4, _, e4) = Console.capturing()
        #expect(Commands.main(["vocab", "sweep", "--rule", "best", corpus], console: c4) == 2)
        #expect(e4().contains("--rule expects"))
    }

    /// An output path that names the user's directory, or a folder output that holds files: a usage error before any
    /// work, naming the option; the directory and its files are left as they were.
    @Test func outputsNeverRemoveADirectory() throws {
        let dir = testScratchRoot.appendingPathComponent("cli-out-\(getpid())")
        let user = dir.appendingPathComponent("results")
        try FileManager.default.createDirectory(at: user, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let notes = user.appendingPathComponent("notes.txt")
        try "precious".write(to: notes, atomically: true, encoding: .utf8)
        let corpus = dir.appendingPathComponent("corpus.txt").path
        try "low lower lowest\n".write(toFile: corpus, atomically: true, encoding: .utf8)
        for args in [["vocab", "train", "--size", "30", "--min-frequency", "1", "--out", user.path, corpus],
                     ["teacher-scores", "--ensemble", corpus, "--ensemble", corpus, "--out", user.path],
                     ["distill", "--teacher", dir.appendingPathComponent("no-model").path, "--out", user.path],
                     ["bm25", "--collection", corpus, "--queries", corpus, "--output", user.path],
                     ["pca", "fit", "--input", corpus, "--k", "1", "--out", user.path]] {
            let (console, _, err) = Console.capturing()
            #expect(Commands.main(args, console: console) == 2, "\(args)")
            let e = err()
            #expect(e.contains(" \(user.path): ") && (e.contains("is a directory") || e.contains("holds files")), "\(args): \(e)")
            #expect(try String(contentsOf: notes, encoding: .utf8) == "precious")
            #expect(try FileManager.default.contentsOfDirectory(atPath: user.path) == ["notes.txt"])
        }
    }

    @Test func anEmptyCorpusIsAnError() throws {
        let dir = testScratchRoot.appendingPathComponent("cli-empty-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = dir.appendingPathComponent("empty.txt").path
        try " \n\n\t\n".write(toFile: corpus, atomically: true, encoding: .utf8)
        for args in [["vocab", "sweep", "--sizes", "30", corpus],
                     ["vocab", "train", "--size", "30", "--out", dir.appendingPathComponent("v.txt").path, corpus]] {
            let (console, _, err) = Console.capturing()
            #expect(Commands.main(args, console: console) == 1, "\(args)")
            #expect(err().contains("holds no text"), "\(args): \(err())")
        }
    }

    @Test func helpTexts() {
        for cmd in [["tokenize"], ["vocab", "train"], ["vocab", "sweep"]] {
            let (console, out, _) = Console.capturing()
            #expect(Commands.main(cmd + ["--help"], console: console) == 0)
            #expect(out().hasPrefix("Usage: reproduce \(cmd.joined(separator: " "))"))
        }
    }
}
