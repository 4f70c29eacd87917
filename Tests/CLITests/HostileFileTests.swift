// Hostile input files against the commands that read them: each valid file is mutated at random (truncated anywhere,
// bytes overwritten with tabs, newlines, carriage returns, NUL, invalid UTF-8 or digits, bytes inserted) and the
// command run on it. A command may accept a mutated file that is still valid; it must never crash (a crash ends the
// test process), every failure must be an error that names the file, and no input file may change.

import Foundation
import Testing
import PropertyTesting
@testable import CLI

@Suite struct HostileFileTests {
    /// A mutation: (kind 0 truncate / 1 overwrite / 2 insert, position seed, byte choice, count).
    static var mutation: Gen<(Int, Int, [Int])> { Gen.zip(Gen.int(in: 0...2), Gen.int(in: 0...1_000_000), Gen.array(of: Gen.int(in: 0...9), count: 1...6)) }
    static let nasty: [UInt8] = [0x09, 0x0A, 0x0D, 0x00, 0xFF, 0xC3, 0x20, 0x2D, 0x31, 0x2E]   // \t \n \r NUL, bad UTF-8, space, "-", "1", "."

    static func mutate(_ bytes: [UInt8], _ m: (Int, Int, [Int])) -> [UInt8] {
        var b = bytes
        let at = b.isEmpty ? 0 : m.1 % (b.count + 1)
        switch m.0 {
        case 0: b = Array(b.prefix(at))
        case 1: for (k, c) in m.2.enumerated() where at + k < b.count { b[at + k] = nasty[c] }
        default: b.insert(contentsOf: m.2.map { nasty[$0] }, at: at)
        }
        return b
    }

    func folder() throws -> URL {
        let d = testScratchRoot.appendingPathComponent("hostile-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    /// Runs `args(file)` on every mutation of `valid`: no crash; exit 0, or 1 with `file` named on standard error;
    /// the input unchanged.
    func check(_ name: String, valid: String, cases: Int = 60, extra: [String: String] = [:],
               args: @escaping (_ file: String, _ extras: [String: String]) -> [String]) throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var extras: [String: String] = [:]
        for (n, text) in extra {
            let p = dir.appendingPathComponent(n).path
            try Data(text.utf8).write(to: URL(fileURLWithPath: p)); extras[n] = p
        }
        let file = dir.appendingPathComponent(name)
        try propertyCheck(Self.mutation, cases: cases) { m in
            let bytes = Self.mutate(Array(valid.utf8), m)
            try Data(bytes).write(to: file)
            let (console, _, err) = Console.capturing()
            let code = Commands.main(args(file.path, extras), console: console)
            try require(code == 0 || code == 1, "\(name): exit \(code): \(err())")
            if code == 1 { try require(err().contains(file.path), "\(name): the error does not name the file: \(err())") }
            try require(Array(try Data(contentsOf: file)) == bytes, "\(name) was changed")
        }
    }

    @Test func runsAndQrels() throws {
        let qrels = "1 0 a 2\n1 0 b 0\n2 0 c 1\n", run = "1 Q0 a 1 2.5 x\n1 Q0 b 2 1.5 x\n2 Q0 c 1 0.5 x\n"
        try check("run.trec", valid: run, extra: ["qrels.txt": qrels]) { ["eval", $1["qrels.txt"]!, $0, "-m", "map"] }
        try check("qrels.txt", valid: qrels, extra: ["run.trec": run]) { ["eval", $0, $1["run.trec"]!, "-m", "ndcg_cut.10"] }
    }

    @Test func collectionsAndQueries() throws {
        let collection = "d1\tthe cat sat on the mat\nd2\ta dog barked\nd3\tcats and dogs\n", queries = "1\tcat\n2\tdog\n"
        try check("c.tsv", valid: collection, extra: ["q.tsv": queries]) { ["bm25", "--collection", $0, "--queries", $1["q.tsv"]!, "--k", "2"] }
        try check("q.tsv", valid: queries, extra: ["c.tsv": collection]) { ["bm25", "--collection", $1["c.tsv"]!, "--queries", $0, "--k", "2"] }
    }

    @Test func teacherScoreFiles() throws {
        let a = "1.5\t-0.5\tq1\tp1\tn1\n0.25\t0.125\tq2\tp2\tn2\n"
        try check("a.tsv", valid: a, extra: ["b.tsv": a]) { file, x in
            ["teacher-scores", "--ensemble", file, "--ensemble", x["b.tsv"]!, "--out", file + ".mean.tsv"]
        }
    }

    @Test func pcaInputs() throws {
        let rows = (0..<12).map { i in (0..<4).map { j in "\(Double((i * 7 + j * 3) % 11) / 3)" }.joined(separator: "\t") }
        try check("x.tsv", valid: rows.joined(separator: "\n") + "\n", cases: 40) { file, _ in
            ["pca", "fit", "--input", file, "--k", "2", "--out", file + ".model.json"]
        }
    }

    @Test func collectionsToEncode() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (model, texts) = try tinySentenceTransformer(in: dir, texts: 30)
        let lines = try String(contentsOf: texts, encoding: .utf8).split(separator: "\n")
        let collection = lines.enumerated().map { "\($0.offset)\t\($0.element)" }.joined(separator: "\n") + "\n"
        try check("collection.tsv", valid: collection, cases: 30) { file, _ in
            ["encode", "--model", model.path, "--collection", file, "--block-size", "8", "--out", file + ".f32"]
        }
    }

    @Test func vocabularyCorpora() throws {
        try check("corpus.txt", valid: "low lower lowest\nnewer newest\nwide wider widest\n", cases: 30) { file, _ in
            ["vocab", "sweep", "--sizes", "40,30", "--hidden", "8", "--min-frequency", "1", file]
        }
    }
}
