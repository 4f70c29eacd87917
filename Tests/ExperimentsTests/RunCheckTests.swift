// Grading a run against expected numbers: a run graded against its own snapshot is OK everywhere; a cell moved
// within ten tolerances is OKish, beyond that or missing is FAIL; the paper's columns and host-dependent measurements
// are not graded; numbers are read as the tables print them. And the committed run is graded OK against the
// committed expected numbers.
import Foundation
import PropertyTesting
import Testing
@testable import Experiments

@Suite struct RunCheckTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func run(_ csv: String) throws -> URL {
        let dir = testScratchRoot.appendingPathComponent("check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("paper-a"), withIntermediateDirectories: true)
        try csv.write(to: dir.appendingPathComponent("paper-a/table-x.csv"), atomically: true, encoding: .utf8)
        return dir
    }

    static let table = """
        Student,ours,Teacher,DL19 nDCG@10,latency (ms),storage (MB),paper TREC-19 nDCG@10,source
        BM25,first stage,–,0.506,12.0,"30,522",0.501,mixed
        ColBERT,"ColBERT, 2 layers",–,0.534,8.3,1.7×,0.722,mixed
        ,,T1,0.387†,8.3,92.1%,0.738,mixed

        """

    @Test func numbersAreReadAsPrinted() {
        #expect(RunCheck.number("0.387†") == 0.387)
        #expect(RunCheck.number("30,522") == 30522)
        #expect(RunCheck.number("1.7×") == 1.7)
        #expect(RunCheck.number("92.1%") == 92.1)
        #expect(RunCheck.number("*0.73*") == 0.73)
        for text in ["–", "", "T1", "BERT_CAT, 2 layers", "mixed", "?"] { #expect(RunCheck.number(text) == nil, "\(text)") }
    }

    @Test func gradesOKThenOKishThenFail() throws {
        let dir = try run(Self.table)
        defer { try? FileManager.default.removeItem(at: dir) }
        let expected = try RunCheck.snapshot(dir)
        let a = try #require(expected.artefacts["paper-a/table-x"])
        // Graded: DL19 nDCG@10 and storage; not the latency, not the paper's column, not the provenance.
        #expect(Set(a.cells.map(\.column)) == ["DL19 nDCG@10", "storage (MB)"])
        #expect(a.cells.count == 6 && a.ungraded == ["latency (ms)"])
        #expect(a.cells.first { $0.row == 2 && $0.column == "DL19 nDCG@10" }?.label == "ColBERT · ColBERT, 2 layers · T1")
        #expect(RunCheck.grade(expected, run: dir).map(\.grade) == [.ok])

        func regrade(_ table: String) throws -> ArtefactGrade {
            try table.write(to: dir.appendingPathComponent("paper-a/table-x.csv"), atomically: true, encoding: .utf8)
            return RunCheck.grade(expected, run: dir)[0]
        }
        // A host-dependent cell and the paper's cell may change freely; 0.001 is within the tolerance.
        #expect(try regrade(Self.table.replacingOccurrences(of: "12.0", with: "99.0")
            .replacingOccurrences(of: "0.738", with: "0.5").replacingOccurrences(of: "0.534", with: "0.535")).grade == .ok)
        let okish = try regrade(Self.table.replacingOccurrences(of: "0.387†", with: "0.392"))
        #expect(okish.grade == .okish && okish.problems.count == 1 && okish.problems[0].contains("0.392 vs 0.387"))
        #expect(try regrade(Self.table.replacingOccurrences(of: "0.387†", with: "0.420")).grade == .fail)
        #expect(try regrade(Self.table.replacingOccurrences(of: ",,T1,0.387†,8.3,92.1%,0.738,mixed\n", with: "")).grade == .fail)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("paper-a/table-x.csv"))
        #expect(RunCheck.grade(expected, run: dir)[0].grade == .fail)
    }

    /// The committed run and the committed expected numbers agree (both change together, with `check --write`).
    @Test func theCommittedRunIsGradedOK() throws {
        let figures = Self.packageRoot.appendingPathComponent("paper-figures")
        let expected = try JSONDecoder().decode(ExpectedNumbers.self,
                                                from: Data(contentsOf: figures.appendingPathComponent("expected-numbers.json")))
        #expect(expected.artefacts.count >= 12)
        for g in RunCheck.grade(expected, run: figures) {
            #expect(g.grade == .ok, "\(g.artefact): \(g.problems.joined(separator: "; "))")
        }
    }
}
