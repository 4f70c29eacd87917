// Worked examples (the ones in Docs/Eval.md) and properties of the trec_eval measures.
import Corpus
import Foundation
import PropertyTesting
import Testing
@testable import Eval

/// A generated query: relevance grades of a ranking (0…3) and the extra judged grades of unretrieved documents.
var rankingGen: Gen<([Int], [Int], Int)> { Gen.zip(Gen.array(of: .int(in: 0...3), count: 0...30), Gen.array(of: .int(in: 0...3), count: 0...10),
                         Gen.int(in: 1...3)) }

@Suite struct MetricsTests {
    /// Docs/Eval.md's example: ranking d1 d2 d3 d4 d5 with grades 3 0 2 0 1, plus one unretrieved judged doc of
    /// grade 2 (so R = 4 at level 1, R = 3 at level 2).
    let rels = [3, 0, 2, 0, 1]
    let judged = [3, 0, 2, 0, 1, 2]

    func v(_ m: Measure, level: Int = 1) -> Double {
        TrecEval.values(rels: rels, judgedGrades: judged, measures: [m], level: level)[0]
    }

    @Test func workedExample() throws {
        try requireClose(v(.recipRank), 1)
        try requireClose(v(.map), (1.0 / 1 + 2.0 / 3 + 3.0 / 5) / 4)          // 0.566667
        try requireClose(v(.map, level: 2), (1.0 / 1 + 2.0 / 3) / 3)           // 0.555556
        try requireClose(v(.precision(5)), 3.0 / 5)
        try requireClose(v(.precision(10)), 3.0 / 10)                          // k counts even past the list
        try requireClose(v(.recall(3)), 2.0 / 4)
        try requireClose(v(.rprec), 2.0 / 4)                                    // relevant in the top R = 4
        let dcg = 3 / log2(2.0) + 2 / log2(4.0) + 1 / log2(6.0)
        let idcg5 = 3 / log2(2.0) + 2 / log2(3.0) + 2 / log2(4.0) + 1 / log2(5.0)
        try requireClose(v(.ndcgCut(5)), dcg / idcg5)                          // 4.3869 / 5.6926 = 0.7706
        try requireClose(v(.ndcgCut(1)), 1)
        try requireClose(v(.ndcgCut(5), level: 3), dcg / idcg5)                // -l does not touch nDCG
        try requireClose(v(.success(1), level: 3), 1)
        try requireClose(v(.success(1), level: 2), 1)
        try requireClose(v(.mapCut(2)), 1.0 / 4)
        try requireClose(v(.recipRank, level: 2), 1)
        try requireClose(v(.numRelRet, level: 2), 2)
        #expect(String(format: "%.4f", v(.ndcgCut(5))) == "0.7706")
    }

    @Test func tieBreakIsScoreThenDocnoDescending() {
        let run = Run(["q": [ScoredDoc("a", 1), ScoredDoc("b", 2), ScoredDoc("c", 1), ScoredDoc("B", 1)]])
        #expect(run.ranked("q").map(\.docid) == ["b", "c", "a", "B"])
        // Ties decide MRR: only "a" is relevant; it ranks 3rd.
        let e = TrecEval.evaluate(qrels: Qrels(["q": ["a": 1]]), run: run, measures: [.recipRank])
        #expect(e.value(.recipRank) == 1.0 / 3)
    }

    @Test func whichQueriesCount() {
        // q1 evaluated; q2 only in the run (skipped); q3 only in the qrels (skipped); q4 judged with no relevant doc
        // (counted, scores 0).
        let qrels = Qrels(["q1": ["a": 1], "q3": ["x": 1], "q4": ["z": 0]])
        let run = Run(["q1": [ScoredDoc("a", 1)], "q2": [ScoredDoc("a", 1)], "q4": [ScoredDoc("z", 1)]])
        let e = TrecEval.evaluate(qrels: qrels, run: run, measures: [.numQ, .map, .ndcgCut(10)])
        #expect(e.queries == ["q1", "q4"])
        #expect(e.value(.numQ) == 2)
        #expect(e.value(.map) == 0.5)
        #expect(e.value(.ndcgCut(10)) == 0.5)
    }

    @Test func depthCutsAfterSorting() {
        let run = Run(["q": [ScoredDoc("rel", 1), ScoredDoc("x", 3), ScoredDoc("y", 2)]])
        let qrels = Qrels(["q": ["rel": 1]])
        #expect(TrecEval.evaluate(qrels: qrels, run: run, measures: [.recipRank], options: EvalOptions(maxDocuments: 2)).value(.recipRank) == 0)
        #expect(TrecEval.evaluate(qrels: qrels, run: run, measures: [.recipRank], options: EvalOptions(maxDocuments: 3)).value(.recipRank) == 1.0 / 3)
    }

    @Test func measureNamesParseLikeTrecEval() throws {
        #expect(try Measure.parse("ndcg_cut.10,20") == [.ndcgCut(10), .ndcgCut(20)])
        #expect(try Measure.parse("P").count == 9)
        #expect(try Measure.parse("success") == [.success(1), .success(5), .success(10)])
        #expect(try Measure.parse("recip_rank") == [.recipRank])
        #expect(try Measure.parse("ndcg_cut_10") == [.ndcgCut(10)])
        #expect(Measure.ndcgCut(10).description == "ndcg_cut_10")
        #expect(throws: MeasureError.self) { try Measure.parse("mrr") }
        #expect(throws: MeasureError.self) { try Measure.parse("map.5") }
        #expect(throws: MeasureError.self) { try Measure.parse("P.0") }
    }

    @Test func formatIsTrecEvalLayout() {
        let e = TrecEval.evaluate(qrels: Qrels(["1": ["a": 1]]), run: Run(["1": [ScoredDoc("a", 1)]]),
                                  measures: [.numQ, .map])
        #expect(TrecEval.format(e) == "num_q                 \tall\t1\nmap                   \tall\t1.0000\n")
        #expect(TrecEval.format(e, perQuery: true).hasPrefix("map                   \t1\t1.0000\n"))
    }

    @Test func propertiesOfEveryMeasure() {
        let ms: [Measure] = [.map, .rprec, .recipRank, .ndcg, .ndcgCut(5), .precision(3), .recall(10), .mapCut(5), .success(3)]
        propertyCheck(rankingGen) { rels, extra, level in
            let judged = rels + extra
            let v = TrecEval.values(rels: rels, judgedGrades: judged, measures: ms, level: level)
            for (m, x) in zip(ms, v) { try require(x >= 0 && x <= 1 + 1e-12, "\(m) = \(x) outside [0, 1]") }
            // The ideal ordering has nDCG 1 (when anything is relevant) and AP 1.
            let ideal = judged.sorted(by: >)
            let iv = TrecEval.values(rels: ideal, judgedGrades: judged, measures: [.ndcg, .map, .ndcgCut(5)], level: level)
            if judged.contains(where: { $0 > 0 }) {
                try requireClose(iv[0], 1, atol: 1e-12); try requireClose(iv[2], 1, atol: 1e-12)
            }
            if judged.contains(where: { $0 >= level }) { try requireClose(iv[1], 1, atol: 1e-12) }
            // P@k · k counts relevant documents in the top k.
            let p3 = TrecEval.values(rels: rels, judgedGrades: judged, measures: [.precision(3)], level: level)[0]
            try requireClose(p3 * 3, Double(rels.prefix(3).filter { $0 >= level }.count), atol: 1e-12)
        }
    }

    @Test func fileOrderDoesNotMatter() {
        propertyCheck(Gen.zip(Gen.array(of: .int(in: 0...4), count: 1...25), Gen.int(in: 0...1000))) { scores, seed in
            var docs = scores.enumerated().map { ScoredDoc("d\($0.offset)", Double($0.element)) }
            let qrels = Qrels(["q": Dictionary(uniqueKeysWithValues: docs.enumerated().map { ("d\($0.offset)", $0.offset % 3) })])
            let ms: [Measure] = [.map, .ndcgCut(10), .recipRank]
            let a = TrecEval.evaluate(qrels: qrels, run: Run(["q": docs]), measures: ms).aggregate
            var g = SeededGenerator(seed: UInt64(seed))
            for i in stride(from: docs.count - 1, to: 0, by: -1) { docs.swapAt(i, Int(g.next() % UInt64(i + 1))) }
            let b = TrecEval.evaluate(qrels: qrels, run: Run(["q": docs]), measures: ms).aggregate
            try require(a == b, "shuffling the file changed \(a) → \(b)")
        }
    }

    @Test func runAndQrelsRoundTrip() throws {
        let run = Run(["2": [ScoredDoc("x", 0.1), ScoredDoc("y", 1e-7)], "10": [ScoredDoc("z", -3.25)]], tag: "t")
        let p = try temporaryFile("rt.run", run.trecText())
        let back = try Run.read(p)
        #expect(back.results["2"]!.sorted(by: Run.precedes) == run.ranked("2"))
        #expect(back.results["10"] == run.results["10"])
        let qrels = Qrels(["1": ["a": 2, "b": 0]])
        let qp = try temporaryFile("rt.qrels", qrels.trecText())
        #expect(try Qrels.read(qp) == qrels)
    }

    @Test func malformedFilesNameFileAndLine() throws {
        let p = try temporaryFile("bad.run", "1 Q0 a 1 2.5 t\n1 Q0 b 2 notanumber t\n")
        do { _ = try Run.read(p); Issue.record("no error") } catch let e as DataFormatError {
            #expect(e.line == 2); #expect(e.file == p); #expect(e.description.contains("6 fields"))
        }
        let d = try temporaryFile("dup.run", "1 Q0 a 1 2.5 t\n1 Q0 a 2 2.0 t\n")
        #expect(throws: DataFormatError.self) { try Run.read(d) }
        #expect(try Qrels.read(temporaryFile("dec.qrels", "1 0 a 1.0\n1 0 b 2.7\n1 0 c 0.5\n")) == Qrels(["1": ["a": 1, "b": 2, "c": 0]]))
        let q = try temporaryFile("bad.qrels", "1 0 a 1\n1 0 b\n")
        do { _ = try Qrels.read(q); Issue.record("no error") } catch let e as DataFormatError { #expect(e.line == 2) }
    }
}
