// The runner: every artefact's files and index.html are written, failures are reported without stopping the run,
// the smoke banner is on every table, and the cache returns what it stored.
import Foundation
import Testing
import Report
@testable import Experiments

@Suite struct RunnerTests {
    @Test func figureAIsAWellFormedWorkflowDiagram() throws {
        let out = try SmokeRun.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let record = try Runner.run(Experiments.select("paper-a/figure-a"), context: SmokeRun.context(out), command: "test")
        #expect(record.items.map(\.status) == ["ok"])
        let svg = try String(contentsOf: out.appendingPathComponent("paper-a/figure-a.svg"), encoding: .utf8)
        for word in ["Teacher", "Margin-MSE", "RankNet", "Student"] { #expect(svg.contains(word), "missing \(word)") }
        let html = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.contains("SMOKE SCALE"))
        #expect(html.contains("Figure A"))
        let info = try JSONDecoder().decode(RunRecord.self, from: Data(contentsOf: out.appendingPathComponent("run-info.json")))
        #expect(info.scale == "smoke" && info.syntheticData)
    }

    @Test func aFailingExperimentIsReportedAndTheOthersStillRun() throws {
        struct Boom: Error {}
        let failing = Experiment(name: "table-x", paper: .compression, kind: .table, title: "fails", budgetMinutes: 0) { _ in
            throw Boom()
        }
        let table = Experiment(name: "table-y", paper: .compression, kind: .table, title: "works", budgetMinutes: 0) { _ in
            ExperimentOutput(tables: [Table(title: "T", columns: ["a", "b"], rows: [Row([1, 2])])])
        }
        let out = try SmokeRun.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let record = try Runner.run([failing, table], context: SmokeRun.context(out), command: "test")
        #expect(record.items[0].status.hasPrefix("failed"))
        #expect(record.items[1].status == "ok")
        let md = try String(contentsOf: out.appendingPathComponent("paper-b/table-y.md"), encoding: .utf8)
        #expect(md.contains("SMOKE SCALE"))
    }

    @Test func aPartialRunKeepsTheEarlierRunsArtefactsInTheIndex() throws {
        // `reproduce table X` into a folder with a whole run used to rewrite index.html with X alone.
        let parent = try SmokeRun.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: parent) }
        let out = parent.appendingPathComponent("run")
        let both = Experiments.select("paper-a/figure-a") + Experiments.select("paper-b/table-1")
        try Runner.run(both, context: SmokeRun.context(out), command: "first")
        func page() throws -> String { try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8) }
        let before = ReportPage.articles(in: try page())
        #expect(Set(before.keys) == ["paper-a-figure-a", "paper-b-table-1"])

        let second = try Runner.run(Experiments.select("paper-b/table-1"), context: SmokeRun.context(out), command: "second")
        #expect(second.items.map(\.status) == ["ok", "kept"])
        let kept = try #require(second.items.first { $0.status == "kept" })
        #expect(kept.id == "paper-a/figure-a" && kept.command == "first" && kept.commit != nil && kept.date != nil)
        var html = try page()
        let after = ReportPage.articles(in: html)
        #expect(Set(after.keys) == Set(before.keys))
        #expect(after["paper-a-figure-a"]!.contains("Kept from an earlier run into this folder: `first`"))
        #expect(!after["paper-b-table-1"]!.contains("provenance"))
        #expect(html.range(of: "paper-a-figure-a")!.lowerBound < html.range(of: "paper-b-table-1")!.lowerBound, "papers in order")
        #expect(html.contains("made 1 of the artefacts below"))
        // The kept record survives the round trip through run-info.json, and a second keep replaces the first line.
        try Runner.run(Experiments.select("paper-b/table-1"), context: SmokeRun.context(out), command: "third")
        html = try page()
        #expect(html.components(separatedBy: "class=\"provenance\"").count == 2)
        #expect(html.contains("`first` at commit"))
        // A page that links this folder names both commands whose artefacts it shows.
        #expect(Runner.otherRuns(SmokeRun.context(parent)).map(\.text) == ["Another run: run/index.html (third; first)"])
        // An earlier artefact whose files were deleted is not kept (its entry would link to nothing).
        try FileManager.default.removeItem(at: out.appendingPathComponent("paper-a/figure-a.svg"))
        let removed = try Runner.run(Experiments.select("paper-b/table-1"), context: SmokeRun.context(out), command: "after-removal")
        #expect(removed.items.map(\.id) == ["paper-b/table-1"])
        #expect(ReportPage.articles(in: try page())["paper-a-figure-a"] == nil)

        // Another configuration does not mix with it: the index holds this run only.
        var other = SmokeRun.context(out)
        other.seed = 7
        let fourth = try Runner.run(Experiments.select("paper-b/table-1"), context: other, command: "fourth")
        #expect(fourth.items.map(\.status) == ["ok"])
        #expect(Set(ReportPage.articles(in: try page()).keys) == ["paper-b-table-1"])
        #expect(!(try page()).contains("Kept from an earlier run"))
    }

    @Test func paperAVariantMattersOnlyToPaperAArtefacts() throws {
        // A Paper B run keeps Paper A's artefacts of another variant (an older training set, say) as they were,
        // marked with what made them; a Paper A run of a new variant does not keep Paper A artefacts of the old one.
        let out = try SmokeRun.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let both = Experiments.select("paper-a/figure-a") + Experiments.select("paper-a/table-b")
            + Experiments.select("paper-b/table-1")
        try Runner.run(both, context: SmokeRun.context(out), command: "first")
        let info = out.appendingPathComponent("run-info.json")
        var record = try JSONDecoder().decode(RunRecord.self, from: Data(contentsOf: info))
        #expect(record.variant == "dev-small")
        record.variant = "standard"   // as written by a run before Paper A trained on dev-small
        try JSONEncoder().encode(record).write(to: info)
        let b = try Runner.run(Experiments.select("paper-b/table-1"), context: SmokeRun.context(out), command: "b")
        #expect(b.items.filter { $0.status == "kept" }.map(\.id) == ["paper-a/figure-a", "paper-a/table-b"])
        record = try JSONDecoder().decode(RunRecord.self, from: Data(contentsOf: info))
        record.variant = "standard"
        try JSONEncoder().encode(record).write(to: info)
        let a = try Runner.run(Experiments.select("paper-a/figure-a"), context: SmokeRun.context(out), command: "a")
        #expect(a.items.filter { $0.status == "kept" }.map(\.id) == ["paper-b/table-1"], "no old Paper A table beside the new")
    }

    @Test func cacheReturnsTheStoredValueAndKeysChangeWithTheConfig() throws {
        struct Config: Codable { var layers: Int; var seed: Int }
        let dir = try SmokeRun.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = ResultCache(root: dir)
        var calls = 0
        let a: [Double] = try cache.value(kind: "t", config: Config(layers: 2, seed: 1)) { calls += 1; return [0.5] }
        let b: [Double] = try cache.value(kind: "t", config: Config(layers: 2, seed: 1)) { calls += 1; return [9] }
        #expect(a == [0.5] && b == [0.5] && calls == 1)
        #expect(try ResultCache.key(Config(layers: 2, seed: 1)) != ResultCache.key(Config(layers: 3, seed: 1)))
    }

    @Test func selectorsFindArtefacts() {
        #expect(Experiments.select("all").count == Experiments.all.count)
        #expect(Experiments.select("paper-a").allSatisfy { $0.paper == .marginMSE })
        #expect(Experiments.select("figure-a").map(\.id) == ["paper-a/figure-a"])
        #expect(Experiments.select("nonsense").isEmpty)
    }
}
