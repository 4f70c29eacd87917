// One test per Paper B artefact at the smoke scale: each exists, has the expected rows and columns, and its numbers
// are finite and in range. One smoke run of Paper B produces them all.
import Foundation
import Testing
import Report
@testable import Experiments

enum PaperBSmoke {
    struct Output: @unchecked Sendable { let dir: URL; let record: RunRecord }
    static let output: Output = {
        let dir = try! SmokeRun.temporaryFolder()
        let record = try! Runner.run(Experiments.select("paper-b"), context: SmokeRun.context(dir), command: "test")
        return Output(dir: dir, record: record)
    }()
    static func csv(_ name: String) throws -> [[String]] {
        try parseCSV(try String(contentsOf: output.dir.appendingPathComponent("paper-b/\(name).csv"), encoding: .utf8))
    }
    static func svg(_ name: String) throws -> String {
        try String(contentsOf: output.dir.appendingPathComponent("paper-b/\(name).svg"), encoding: .utf8)
    }
}

@Suite(.serialized) struct PaperBArtefactTests {
    @Test func everyPaperBArtefactRan() {
        #expect(PaperBSmoke.output.record.items.allSatisfy { $0.status == "ok" },
                "\(PaperBSmoke.output.record.items.filter { $0.status != "ok" })")
        #expect(PaperBSmoke.output.record.items.count == 6)
    }

    @Test func tablesHaveSevenRowsPerRankerType() throws {
        // teacher, baseline, + vocabulary, + PCA, + both (the paper's), + PCA and + both teacher-initialised (ours,
        // labelled)
        for name in ["table-1", "table-2", "table-3"] {
            let rows = try PaperBSmoke.csv(name)
            #expect(rows.count == 1 + 2 * 7, "\(name): \(rows.count) rows")
            #expect(rows.dropFirst().filter { $0.contains { $0.contains("teacher-initialised (ours)") } }.count == 4)
        }
    }

    @Test func table1SizesShrinkAlongTheGrid() throws {
        let rows = try PaperBSmoke.csv("table-1")
        let mb = rows[0].firstIndex(of: "MB fp32")!
        let sizes = rows.dropFirst().map { Double($0[mb])! }
        // Within each ranker type: teacher > baseline ≥ + vocabulary, baseline > + PCA ≥ + both; the
        // teacher-initialised + PCA and + both students have the shapes of + PCA and + both, so their sizes.
        for t in 0..<2 {
            let s = Array(sizes[(t * 7)..<(t * 7 + 7)])
            #expect(s[0] > s[1] && s[1] >= s[2] && s[1] > s[3] && s[3] >= s[4] && s[5] == s[3] && s[6] == s[4], "\(s)")
        }
    }

    @Test func table2QualityIsInRange() throws {
        let rows = try PaperBSmoke.csv("table-2")
        for col in ["DL19 nDCG@10", "DL19 MRR@10", "SciFact nDCG@10", "top-10 overlap"] {
            let j = rows[0].firstIndex(of: col)!
            for r in rows.dropFirst() { if let v = Double(r[j]) { #expect((0...1).contains(v), "\(col) \(v)") } }
        }
    }

    @Test func table3CostsArePositive() throws {
        let rows = try PaperBSmoke.csv("table-3")
        let j = rows[0].firstIndex(of: "throughput (texts/s)")!
        #expect(rows.dropFirst().allSatisfy { (Double($0[j]) ?? 0) > 0 })
    }

    @Test func figuresExist() throws {
        for f in ["figure-1", "figure-2", "figure-3"] {
            let svg = try PaperBSmoke.svg(f)
            #expect(svg.contains("<svg"))
            for bad in ["=\"nan", "=\"-nan", "=\"inf", "=\"-inf", "NaN"] { #expect(!svg.contains(bad), "\(f) has \(bad)") }
        }
        #expect(try PaperBSmoke.svg("figure-1").contains("V*"))
        #expect(try PaperBSmoke.svg("figure-3").contains("Pareto"))
        #expect(try PaperBSmoke.csv("figure-2").count == 1 + 3)
    }
}

@Suite struct VStarRuleTests {
    @Test func kneeStopsAtTheFirstDropGoingDown() {
        // Seed 2021's question–answer sweep: 16k within 0.01 of the teacher vocabulary (0.301), 8k/4k/2k below, 1k
        // above again by noise. The rule stops at the drop: 16,000, not 1,000.
        let sweep = [(size: 1_000, quality: 0.303), (size: 16_000, quality: 0.298), (size: 8_000, quality: 0.289),
                     (size: 4_000, quality: 0.268), (size: 2_000, quality: 0.257)]
        #expect(PaperBPipeline.knee(sweep, reference: 0.301, tolerance: 0.01) == 16_000)
        // Seed 2020's: the largest trained size is already below: no V*.
        let other = [(size: 16_000, quality: 0.290), (size: 8_000, quality: 0.283), (size: 1_000, quality: 0.282)]
        #expect(PaperBPipeline.knee(other, reference: 0.307, tolerance: 0.01) == nil)
        // Every size within: the smallest.
        #expect(PaperBPipeline.knee([(size: 2_000, quality: 0.5), (size: 8_000, quality: 0.5)], reference: 0.505, tolerance: 0.01) == 2_000)
        #expect(PaperBPipeline.knee([], reference: 0.3, tolerance: 0.01) == nil)
    }
}
