// One test per Paper A artefact at the smoke scale: each exists, has the expected rows and columns, and its numbers
// are finite and in range. One smoke run of Paper A (shared by the tests, ~1 minute) produces them all.
import Foundation
import Testing
import Report
import MarginMSE
@testable import Experiments
import Training

enum PaperASmoke {
    struct Output: @unchecked Sendable { let dir: URL; let record: RunRecord }
    static let output: Output = {
        let dir = try! SmokeRun.temporaryFolder()
        let record = try! Runner.run(Experiments.select("paper-a"), context: SmokeRun.context(dir), command: "test")
        return Output(dir: dir, record: record)
    }()

    /// The CSV of an artefact as rows of cells (header first), comments and banner notes excluded.
    static func csv(_ name: String) throws -> [[String]] {
        let text = try String(contentsOf: output.dir.appendingPathComponent("paper-a/\(name).csv"), encoding: .utf8)
        return try parseCSV(text)
    }

    /// Every cell that parses as a number in the named columns.
    /// The numbers of our columns named `columns` — a column "nDCG@10" also matches one per test set ("DL19 nDCG@10"),
    /// never the paper's ("paper …"). A name that matches no column, or no number at all, is a recorded failure, so
    /// that a renamed column cannot make a check over its numbers pass vacuously.
    static func numbers(_ rows: [[String]], columns: [String]) -> [Double] {
        let header = rows[0]
        var idx: [Int] = []
        for c in columns {
            let matches = header.indices.filter { header[$0] == c || (header[$0].hasSuffix(" " + c) && !header[$0].hasPrefix("paper")) }
            if matches.isEmpty { Issue.record("no column '\(c)' in \(header)") }
            idx += matches
        }
        let values = rows.dropFirst().flatMap { r in idx.compactMap { $0 < r.count ? Double(r[$0].filter { "0123456789.-e".contains($0) }) : nil } }
        if values.isEmpty { Issue.record("no numbers in columns \(columns)") }
        return values
    }
}

@Suite(.serialized) struct PaperAArtefactTests {
    @Test func everyPaperAArtefactRan() {
        #expect(PaperASmoke.output.record.items.allSatisfy { $0.status == "ok" },
                "\(PaperASmoke.output.record.items.filter { $0.status != "ok" })")
        #expect(PaperASmoke.output.record.items.count == Experiments.select("paper-a").count)
    }

    @Test func tableA() throws {
        let rows = try PaperASmoke.csv("table-a")
        #expect(rows[0].contains("Query latency (ms)") && rows[0].contains("paper latency (ms)"))
        #expect(rows.dropFirst().map { $0[0] } == ["BERT_CAT", "PreTT", "ColBERT", "BERT_DOT", "TK"])
        #expect(PaperASmoke.numbers(rows, columns: ["Query latency (ms)"]).allSatisfy { $0 > 0 && $0.isFinite })
        // Peak memory holds each model's weights (Params (M) × 4 bytes) and more.
        let memory = PaperASmoke.numbers(rows, columns: ["Peak memory (MB)"])
        let weights = PaperASmoke.numbers(rows, columns: ["Params (M)"]).map { $0 * 4 }
        #expect(memory.count == 5 && zip(memory, weights).allSatisfy { $0 > $1 }, "\(memory) \(weights)")
    }

    @Test func tableB() throws {
        let rows = try PaperASmoke.csv("table-b")
        #expect(rows.count == 1 + 3 + 1 + 1)   // header, three teachers, the T2 ensemble, BM25
        // Every teacher's score spread, which says how much each member weighs in the unnormalised T2 mean.
        let spreads = PaperASmoke.numbers(Array(rows.prefix(5)), columns: ["score sd"])
        #expect(spreads.count == 4 && spreads.allSatisfy { $0 >= 0 && $0.isFinite })
        #expect(PaperASmoke.numbers(rows, columns: ["nDCG@10", "MRR@10", "R@100"]).allSatisfy { (0...1).contains($0) })
    }

    /// The T2 members are T1's recipe (depth, learning rate, steps) under their own head and data-order seeds, and T1
    /// keeps the data-order seed its cached results were made with.
    @Test(arguments: [Scale.smoke, Scale.default])
    func ensembleMembersAreT1UnderOtherSeeds(_ scale: Scale) {
        let plan = PaperAPlan.forScale(scale)
        let t1 = plan.teacherT1
        #expect(plan.ensemble.count == 3 && plan.ensemble[0] == t1)
        #expect(t1.training.loop.seed == TrainingLoopConfig(totalSteps: 1, learningRate: 1).seed)
        #expect(Set(plan.ensemble.map(\.seed)).count == 3)
        #expect(Set(plan.ensemble.map(\.training.loop.seed)).count == 3)
        for member in plan.ensemble.dropFirst() {
            #expect(member.keepLayers == t1.keepLayers)
            #expect(member.training.loop.learningRate == t1.training.loop.learningRate)
            #expect(member.training.loop.totalSteps == t1.training.loop.totalSteps)
            #expect(member.identity != t1.identity)
        }
    }

    @Test func tableC() throws {
        let rows = try PaperASmoke.csv("table-c")
        #expect(rows.count == 1 + 1 + 6 * 3)    // header, BM25, six students × three regimes
        #expect(rows.dropFirst().map { $0[2] }.filter { $0 == "T2" }.count == 6)
        #expect(PaperASmoke.numbers(rows, columns: ["nDCG@10", "MRR@10", "R@100"]).allSatisfy { (0...1).contains($0) })
    }

    @Test func tableD() throws {
        let rows = try PaperASmoke.csv("table-d")
        #expect(rows.count == 1 + 2 * 5)        // two students × five losses
        #expect(PaperASmoke.numbers(rows, columns: ["nDCG@10", "MRR@10"]).allSatisfy { (0...1).contains($0) })
    }

    @Test func tableE() throws {
        let rows = try PaperASmoke.csv("table-e")
        #expect(rows.count == 1 + 1 + 2 * 3)    // BM25, two BERT_DOT students × three regimes
        #expect(PaperASmoke.numbers(rows, columns: ["nDCG@10", "MRR@10", "R@1000"]).allSatisfy { (0...1).contains($0) })
    }

    @Test func figureAandB() throws {
        for f in ["figure-a", "figure-b"] {
            let svg = try String(contentsOf: PaperASmoke.output.dir.appendingPathComponent("paper-a/\(f).svg"), encoding: .utf8)
            #expect(svg.hasPrefix("<svg") || svg.hasPrefix("<?xml"))
            for bad in ["=\"nan", "=\"-nan", "=\"inf", "=\"-inf", "NaN"] { #expect(!svg.contains(bad), "\(f) has \(bad)") }
        }
        let rows = try PaperASmoke.csv("figure-b")
        #expect(rows.dropFirst().map { $0[0] } == ["BERT_CAT", "PreTT", "ColBERT", "BERT_DOT", "TK"])   // display names
        #expect(PaperASmoke.numbers(rows, columns: ["pos avg", "neg avg"]).allSatisfy { $0.isFinite })
    }

    @Test func figureC() throws {
        let svg = try String(contentsOf: PaperASmoke.output.dir.appendingPathComponent("paper-a/figure-c.svg"), encoding: .utf8)
        #expect(svg.contains("nDCG@10") && svg.contains("MRR@10"))
        let rows = try PaperASmoke.csv("figure-c")
        #expect(rows.count == 1 + 6 * 3)
    }

    @Test func indexShowsEveryArtefactWithTheSmokeBanner() throws {
        let html = try String(contentsOf: PaperASmoke.output.dir.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.contains("SMOKE SCALE"))
        for e in Experiments.select("paper-a") { #expect(html.contains(e.title), "index lacks \(e.title)") }
    }
}
