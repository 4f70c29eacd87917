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
