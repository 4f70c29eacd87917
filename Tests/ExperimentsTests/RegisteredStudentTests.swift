// A ranker registered from outside the package (`RankerRegistry.register`) joins Paper A's grid by name: a row of
// Table C beside the paper's students, trained under every regime, the paper's rows unchanged.
import Foundation
import Testing
import Student
@testable import Experiments

/// A registered architecture for the test: BERT_DOT with mean pooling under another name.
let meanDotEntry = RankerRegistry.Entry(
    architecture: "mean-dot-test", paperName: "MeanDOT",
    make: { t, r in BertDot(encoder: t.reduced(keepingLayers: r.keepLayers), limits: r.limits, pooling: .mean, cosine: false) },
    load: { f, m in try RankerRegistry.entry("bert-dot").load(f, m) })

func registerMeanDot() throws {
    if !RankerRegistry.entries.contains(where: { $0.architecture == meanDotEntry.architecture }) {
        try? RankerRegistry.register(meanDotEntry)
    }
}

@Suite struct RegisteredStudentTests {
    @Test func theGridTakesARegisteredStudent() throws {
        try registerMeanDot()
        let standard = PaperAPlan.forScale(.default)
        let extended = PaperAPlan.forScale(.default, extraStudents: ["mean-dot-test"])
        #expect(Array(extended.students.prefix(standard.students.count)) == standard.students)
        #expect(extended.students.last?.architecture == "mean-dot-test" && extended.students.last?.paperName == "MeanDOT")
        #expect(extended.students.last?.architectureName == "MeanDOT")

        let dir = try SmokeRun.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var context = SmokeRun.context(dir)
        context.paperAStudents = ["mean-dot-test"]
        let record = try Runner.run(Experiments.select("paper-a/table-c"), context: context, command: "test")
        #expect(record.items.map(\.status) == ["ok"], "\(record.items)")
        let md = try String(contentsOf: dir.appendingPathComponent("paper-a/table-c.md"), encoding: .utf8)
        #expect(md.contains("MeanDOT") && md.contains("DistilBERT_CAT"))
    }
}
