// `reproduce eval`, `reproduce bm25` and `reproduce fetch` end to end on small temporary files: trec_eval's layout,
// its option names, errors that name the file and line.
import Foundation
import Testing
@testable import CLI
import PropertyTesting

@Suite struct EvalCommandTests {
    @Test func evalPrintsTrecEvalLayout() throws {
        let q = try temporaryFile("q.txt", "1 0 a 2\n1 0 b 1\n2 0 c 0\n")
        let r = try temporaryFile("r.trec", "1 Q0 b 1 2.0 x\n1 Q0 a 2 1.0 x\n2 Q0 c 1 1.0 x\n3 Q0 a 1 1.0 x\n")
        let (console, out, _) = Console.capturing()
        #expect(Commands.main(["eval", "--qrels", q, "--run", r, "-m", "map", "-m", "num_q", "-M", "1", "-l", "2"],
                              console: console) == 0)
        #expect(out() == "num_q                 \tall\t2\nmap                   \tall\t0.0000\n")
        let (c2, out2, _) = Console.capturing()
        #expect(Commands.main(["eval", q, r, "-m", "recip_rank", "-q"], console: c2) == 0)
        #expect(out2() == "recip_rank            \t1\t1.0000\nrecip_rank            \t2\t0.0000\nrecip_rank            \tall\t0.5000\n")
    }

    @Test func evalErrors() throws {
        let q = try temporaryFile("q2.txt", "1 0 a 2\n")
        let bad = try temporaryFile("bad.trec", "1 Q0 a 1 1.0 x\n1 Q0 b 2\n")
        let (console, _, err) = Console.capturing()
        #expect(Commands.main(["eval", q, bad], console: console) == 1)
        #expect(err().contains("bad.trec:2: expected 6 fields"))
        let (c2, _, err2) = Console.capturing()
        #expect(Commands.main(["eval", q, bad, "-m", "mrr"], console: c2) == 2)
        #expect(err2().contains("unknown measure 'mrr'"))
    }

    /// Inputs that would print zeros which look like a result: a directory, an empty run or qrels, a run about other
    /// topics. A byte-order mark in front of the first line is dropped, not read as part of the query id.
    @Test func emptyOrMismatchedInputsAreErrors() throws {
        let q = try temporaryFile("q3.txt", "1 0 a 2\n")
        let r = try temporaryFile("r3.trec", "1 Q0 a 1 1.0 x\n")
        let empty = try temporaryFile("empty.trec", "")
        let other = try temporaryFile("other.trec", "7 Q0 a 1 1.0 x\n")
        let dir = (q as NSString).deletingLastPathComponent
        for (args, says) in [([q, dir], "a readable file"), ([q, empty], "holds no results"), ([empty, r], "holds no judgements"),
                             ([q, other], "no query of")] {
            let (console, _, err) = Console.capturing()
            #expect(Commands.main(["eval"] + args + ["-m", "map"], console: console) == 1, "\(args)")
            #expect(err().contains(says), "\(args): \(err())")
        }
        // bm25 given a directory as its collection (it crashed reading the directory's first bytes).
        let (c2, _, e2) = Console.capturing()
        #expect(Commands.main(["bm25", "--collection", dir, "--queries", q], console: c2) == 1)
        #expect(e2().contains("\(dir): expected a collection or query file, found a directory"), "\(e2())")
        let bomRun = try temporaryFile("bom.trec", "\u{FEFF}1 Q0 a 1 1.0 x\n")
        let (console, out, _) = Console.capturing()
        #expect(Commands.main(["eval", q, bomRun, "-m", "map"], console: console) == 0)
        #expect(out() == "map                   \tall\t1.0000\n")
    }

    @Test func bm25WritesARun() throws {
        let c = try temporaryFile("c.tsv", "d1\tthe cat sat\nd2\ta dog barked\nd3\tcats and dogs\n")
        let q = try temporaryFile("qs.tsv", "q1\tcat\nq2\tdog barked\n")
        let (console, out, _) = Console.capturing()
        #expect(Commands.main(["bm25", "--collection", c, "--queries", q, "--k", "5"], console: console) == 0)
        let lines = out().split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("q1 Q0 d1 1 ") && lines[1].hasPrefix("q2 Q0 d2 1 "))
    }

    @Test func fetchListsAndRejectsUnknown() throws {
        let (console, _, err) = Console.capturing()
        #expect(Commands.main(["fetch", "no-such-dataset", "--manifests", testScratchRoot.path], console: console) == 2)
        #expect(err().contains("no manifest 'no-such-dataset'"))
    }
}

@Suite struct BM25DatasetOptionTests {
    @Test func unknownDatasetIsAUsageError() {
        let (console, _, err) = Console.capturing()
        #expect(Commands.main(["bm25", "--dataset", "nope"], console: console) == 2)
        #expect(err().contains("unknown dataset 'nope'; known: dl19, dl20, cranfield, vaswani, scifact"))
    }

    @Test func datasetFromAnExplicitDataDirectory() throws {
        let dir = testScratchRoot.path + "/bm25ds-\(getpid())/cranfield"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data(".I 1\n.T\nwing flow\n.W\nwing flow body .\n.I 2\n.T\nheat\n.W\nheat transfer .\n".utf8)
            .write(to: URL(fileURLWithPath: dir + "/cran.all.1400"))
        try Data(".I 001\n.W\nheat transfer\n".utf8).write(to: URL(fileURLWithPath: dir + "/cran.qry"))
        let (console, out, _) = Console.capturing()
        #expect(Commands.main(["bm25", "--dataset", "cranfield", "--data", (dir as NSString).deletingLastPathComponent],
                              console: console) == 0)
        #expect(out().hasPrefix("1 Q0 2 1 "))
    }
}

@Suite struct EvalCompareTests {
    @Test func compareTwoRuns() throws {
        let dir = testScratchRoot.path + "/evalcmp-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var q = "", a = "", b = ""
        for i in 0..<20 {
            q += "\(i) 0 rel\(i) 1\n"
            a += "\(i) Q0 rel\(i) 1 2.0 a\n\(i) Q0 x\(i) 2 1.0 a\n"          // relevant first
            b += "\(i) Q0 rel\(i) 1 1.0 b\n\(i) Q0 x\(i) 2 \(i % 5 == 0 ? 0.5 : 2.0) b\n"  // mostly second
        }
        for (n, t) in [("q", q), ("a", a), ("b", b)] { try Data(t.utf8).write(to: URL(fileURLWithPath: "\(dir)/\(n)")) }
        let (console, out, _) = Console.capturing()
        #expect(Commands.main(["eval", "\(dir)/q", "\(dir)/a", "--compare", "\(dir)/b", "-m", "recip_rank", "-m", "ndcg_cut.10",
                               "--trials", "2000"], console: console) == 0)
        let lines = out().split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[0].contains("20 queries in both runs"))
        let rr = lines.first { $0.hasPrefix("recip_rank\t") }!.split(separator: "\t")
        #expect(rr[1] == "1.0000" && rr[2] == "0.6000")
        #expect(Double(rr[4])! < 1e-3 && Double(rr[6])! < 0.01)
    }
}
