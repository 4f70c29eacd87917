// `reproduce paper-a --minilm-teacher`: a fourth teacher, every student distilled from all-MiniLM-L6-v2 itself (at the
// smoke scale, from the tiny random encoder the students are cut from), as is and scaled to the student's margins. The run reuses the standard run's cache for
// the no-KD, T1 and T2 students, adds MiniLM rows (with unknown paper cells) to Table B and MiniLM and MiniLM-scaled
// rows to Tables C and E, compares the losses
// of Table D with the MiniLM teacher, and says so in its pages; the standard run is unchanged.
import Foundation
import Testing
import Report
import Eval
@testable import Experiments

@Suite(.serialized) struct PaperAMiniLMTeacherTests {
    struct Output: @unchecked Sendable { let dir: URL; let record: RunRecord }
    static let output: Output = {
        let dir = try! SmokeRun.temporaryFolder()
        var c = SmokeRun.context(dir)
        c.paperAMiniLMTeacher = true
        c.cacheDirectory = PaperASmoke.output.dir.appendingPathComponent(".cache")   // the standard smoke run's
        let record = try! Runner.run(Experiments.select("paper-a/table-b") + Experiments.select("paper-a/table-c")
                                     + Experiments.select("paper-a/table-d") + Experiments.select("paper-a/table-e"),
                                     context: c, command: "test --minilm-teacher")
        return Output(dir: dir, record: record)
    }()

    static func csv(_ name: String) throws -> [[String]] {
        try parseCSV(try String(contentsOf: output.dir.appendingPathComponent("paper-a/\(name).csv"), encoding: .utf8))
    }

    @Test func everyArtefactRan() {
        #expect(Self.output.record.items.map(\.status) == ["ok", "ok", "ok", "ok"], "\(Self.output.record.items)")
    }

    @Test func tableCHasAMiniLMRowPerStudentWithUnknownPaperCells() throws {
        let rows = try Self.csv("table-c")
        #expect(rows.count == 1 + 1 + 6 * 5)    // header, BM25, six students × five regimes
        let header = rows[0]
        let teacher = try #require(header.firstIndex(of: "Teacher"))
        let paper = try #require(header.firstIndex(of: "paper TREC-19 nDCG@10"))
        let miniLM = rows.dropFirst().filter { $0[teacher].hasPrefix("MiniLM") }
        #expect(miniLM.count == 12)
        #expect(miniLM.allSatisfy { $0[paper] == "unknown" })
        // The paper's cells of the other regimes are where they were.
        #expect(rows.dropFirst().filter { $0[teacher] == "T2" }.allSatisfy { $0[paper] != "unknown" })
        // The standard run is unchanged.
        #expect(!(try PaperASmoke.csv("table-c")).joined().joined().contains("MiniLM"))
    }

    @Test func tableBShowsTheMiniLMTeacher() throws {
        let rows = try Self.csv("table-b")
        #expect(rows.count == 1 + 3 + 1 + 1 + 1)   // three teachers, T2, MiniLM, BM25
        #expect(rows.contains { $0[0].hasPrefix("MiniLM") })
    }

    @Test func tableDComparesTheLossesWithTheMiniLMTeacher() throws {
        let md = try String(contentsOf: Self.output.dir.appendingPathComponent("paper-a/table-d.md"), encoding: .utf8)
        #expect(md.contains("teacher MiniLM"))
        #expect(try Self.csv("table-d").count == 1 + 2 * 5)
    }

    @Test func tableEHasFiveRegimesPerBertDot() throws {
        let rows = try Self.csv("table-e")
        #expect(rows.count == 1 + 1 + 2 * 5)    // BM25, two BERT_DOT students × five regimes
    }

    @Test func scaledTeacherMatchesTheStudentsOwnNoKDMargin() throws {
        var c = SmokeRun.context(Self.output.dir)
        c.paperAMiniLMTeacher = true
        c.cacheDirectory = PaperASmoke.output.dir.appendingPathComponent(".cache")
        let p = PaperAPipeline.forContext(c)
        for spec in p.plan.students {
            let base = try p.teacherScores(.miniLM)
            let scaled = try p.teacherScores(.miniLMScaled, for: spec)
            let k = try p.miniLMScale(spec)
            #expect(k > 0 && k.isFinite)
            #expect(scaled.map(\.triple) == base.map(\.triple))
            for (a, b) in zip(base, scaled).prefix(20) { #expect(abs(Double(b.positive) - Double(a.positive) * k) <= 1e-4 * max(1, abs(Double(b.positive)))) }
            // Where the no-KD margin is positive, the scaled teacher's mean margin is that margin.
            let tail = try p.student(spec, regime: .none).1.tailAverages
            let own = tail.positive - tail.negative
            let mean = scaled.map { Double($0.margin) }.reduce(0, +) / Double(scaled.count)
            if own > 0 { #expect(abs(mean - own) <= 1e-3 * max(1, own), "\(spec.paperName): \(mean) vs \(own)") } else { #expect(k == 1) }
            // The other regimes do not depend on the student.
            #expect(try p.teacherScores(.t1, for: spec) == p.teacherScores(.t1))
        }
        let notes = try String(contentsOf: Self.output.dir.appendingPathComponent("paper-a/table-c.md"), encoding: .utf8)
        #expect(notes.contains("MiniLM scaled: the MiniLM teacher's z-normalised scores multiplied, per student"))
    }

    @Test func pagesSayWhatThisRunIs() throws {
        let html = try String(contentsOf: Self.output.dir.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.contains("Paper A with a fourth teacher, MiniLM"))
        #expect(html.contains("not one of the paper&#39;s teachers") || html.contains("not one of the paper's teachers"))
        let standard = SmokeRun.context(PaperASmoke.output.dir)
        #expect(PaperAPipeline.forContext(standard).regimes == [.none, .t1, .t2])
        #expect(Runner.variantLines(standard).isEmpty)
        #expect(!PaperA.deviations(standard).joined().contains("Teacher MiniLM"))
        #expect(PaperA.deviations(SmokeRun.context(Self.output.dir).withMiniLMTeacher).joined().contains("Teacher MiniLM"))
    }
}

extension ExperimentContext {
    var withMiniLMTeacher: ExperimentContext { var c = self; c.paperAMiniLMTeacher = true; return c }
}

@Suite struct ScoreSpreadTests {
    @Test func scoreSpreadIsThePopulationStandardDeviationOfEveryScore() {
        let run = Run(["q1": [ScoredDoc("a", 1), ScoredDoc("b", 3)], "q2": [ScoredDoc("c", 5), ScoredDoc("d", 7)]], tag: "t")
        // Scores 1, 3, 5, 7: mean 4, squared deviations 9, 1, 1, 9 → variance 5.
        #expect(abs(PaperA.scoreSpread([run]) - 5.0.squareRoot()) < 1e-12)
        #expect(abs(PaperA.scoreSpread([run, run]) - 5.0.squareRoot()) < 1e-12)
        #expect(PaperA.scoreSpread([Run([:], tag: "empty")]) == 0)
    }
}
