// Paper A's swapped fold (REPRODUCTION.md's second query set): train on the DL19 half, test on the DL20 half.
// The fold exchanges the two query sets, keeps separate cache identities (the standard one unchanged, so that caches
// made before folds existed stay valid), and says so in every output.
import Foundation
import Testing
import MarginMSE
@testable import Experiments

@Suite struct PaperAFoldTests {
    static func smokeContext(_ fold: PaperAFold, _ dir: URL) -> ExperimentContext {
        var c = SmokeRun.context(dir)
        c.paperAFold = fold
        return c
    }

    @Test func swappedFoldExchangesTrainingAndTestQueries() throws {
        let dir = try SmokeRun.temporaryFolder()
        let standard = PaperAPipeline.forContext(Self.smokeContext(.standard, dir))
        let swapped = PaperAPipeline.forContext(Self.smokeContext(.swapped, dir))
        #expect(standard !== swapped, "one pipeline per fold in a process")
        let trainS = Set(standard.trainFold.queries.keys), testS = Set(standard.testFold.queries.keys)
        #expect(!trainS.isEmpty && !testS.isEmpty && trainS.isDisjoint(with: testS))
        #expect(Set(swapped.trainFold.queries.keys) == testS)
        #expect(Set(swapped.testFold.queries.keys) == trainS)
        // Judgements and candidates follow the queries of their fold.
        #expect(Set(swapped.testFold.qrels.judgements.keys).isSubset(of: trainS))
        #expect(Set(swapped.testFold.candidates.results.keys).isSubset(of: trainS))
        #expect(standard.dataIdentity != swapped.dataIdentity)
    }

    @Test func realDataIdentitiesNameTheFolds() {
        func identity(_ fold: PaperAFold) -> String {
            let c = ExperimentContext(scale: .default, dataDirectory: "/no/such/data", modelDirectory: nil,
                                      outputDirectory: URL(fileURLWithPath: "/tmp/unused"),
                                      cacheDirectory: URL(fileURLWithPath: "/tmp/unused/.cache"), paperAFold: fold)
            return PaperAPipeline(context: c).dataIdentity
        }
        #expect(identity(.standard) == "trec-dl20-train/dl19-test/all-MiniLM-L6-v2")
        #expect(identity(.swapped) == "trec-dl19-train/dl20-test/all-MiniLM-L6-v2")
    }

    @Test func anotherSeedHasItsOwnCacheIdentityInBothPapers() {
        // The seed chooses Paper A's student initialisation and Paper B's text samples; a run with another seed once
        // read the default seed's students from the cache. The default seed keeps the identity caches were made with.
        func context(_ seed: UInt64) -> ExperimentContext {
            ExperimentContext(scale: .default, dataDirectory: "/no/such/data", modelDirectory: nil,
                              outputDirectory: URL(fileURLWithPath: "/tmp/unused"),
                              cacheDirectory: URL(fileURLWithPath: "/tmp/unused/.cache"), seed: seed)
        }
        #expect(PaperAPipeline(context: context(2020)).dataIdentity == "trec-dl20-train/dl19-test/all-MiniLM-L6-v2")
        #expect(PaperAPipeline(context: context(2021)).dataIdentity == "trec-dl20-train/dl19-test/all-MiniLM-L6-v2/seed-2021")
        #expect(PaperBPipeline(context: context(2020)).dataIdentity == "default-data")
        #expect(PaperBPipeline(context: context(7)).dataIdentity == "default-data/seed-7")
        // Teachers do not depend on the seed (theirs are the plan's): another seed reuses them.
        #expect(PaperAPipeline(context: context(2021)).teacherDataIdentity == "trec-dl20-train/dl19-test/all-MiniLM-L6-v2")
        // The students' data order and dropout follow a non-default seed; the default seed keeps the plan's loop.
        let standard = PaperAPipeline(context: context(2020)), other = PaperAPipeline(context: context(2021))
        #expect(standard.studentLoop.seed == standard.plan.studentLoop.seed)
        #expect(other.studentLoop.seed != other.plan.studentLoop.seed)
    }

    @Test func swappedRunSaysSoInItsOutputs() throws {
        let dir = try SmokeRun.temporaryFolder()
        let context = Self.smokeContext(.swapped, dir)
        let record = try Runner.run(Experiments.select("paper-a/table-b"), context: context, command: "test")
        #expect(record.items.map(\.status) == ["ok"])
        let html = try String(contentsOf: dir.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.contains("Paper A on the swapped fold: train TREC DL 2019, test TREC DL 2020"))
        #expect(html.contains("trained on TREC DL 2019 triples"))
        #expect(html.contains("tested by re-ranking the TREC DL 2020 BM25 top-100"))
        #expect(!PaperA.deviations(SmokeRun.context(dir)).joined().contains("swapped"))
    }

    @Test func standardIndexLinksTheSwappedFoldPageWhenItIsThere() throws {
        let dir = try SmokeRun.temporaryFolder()
        let link = "<a href=\"swapped-fold/index.html\">"
        let standard = SmokeRun.context(dir)
        try Runner.run(Experiments.select("paper-a/table-b"), context: standard, command: "test")
        #expect(!(try String(contentsOf: dir.appendingPathComponent("index.html"), encoding: .utf8)).contains(link))
        var swapped = Self.smokeContext(.swapped, dir)
        swapped.outputDirectory = dir.appendingPathComponent("swapped-fold")
        try Runner.run(Experiments.select("paper-a/table-b"), context: swapped, command: "test")
        #expect(!(try String(contentsOf: swapped.outputDirectory.appendingPathComponent("index.html"), encoding: .utf8)).contains(link))
        try Runner.run(Experiments.select("paper-a/table-b"), context: standard, command: "test")
        #expect(try String(contentsOf: dir.appendingPathComponent("index.html"), encoding: .utf8).contains(link))
    }

    /// A student's evaluation is cached under the student's own training key, not its name: when T2's members change,
    /// the T2 student is trained anew *and* evaluated anew (until 2026-12-04 the old evaluation was shown).
    @Test func evaluationsFollowTheTrainedStudentNotItsName() throws {
        let dir = try SmokeRun.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let context = Self.smokeContext(.standard, dir)
        let first = PaperAPipeline(context: context)
        var plan = first.plan
        plan.ensemble[2].seed += 100
        plan.ensemble[2].training.loop.seed += 100
        let second = PaperAPipeline(context: context, plan: plan)
        let spec = try #require(first.plan.students.first { $0.architecture == "bert-dot" })
        func entries(_ kind: String) -> Int {
            let url = dir.appendingPathComponent(".cache/paper-a/\(kind)")
            return ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).count
        }
        let a = try first.evaluate(spec, regime: .t2)
        #expect(entries("eval") == 1 && entries("student") == 1)
        _ = try second.evaluate(spec, regime: .t2)
        #expect(entries("student") == 2, "another T2 member trains another T2 student")
        #expect(entries("eval") == 2, "and that student is evaluated, not the first one's record reused")
        // The unchanged plan still reads its own student's evaluation; no-KD students do not depend on the teachers.
        #expect(try first.evaluate(spec, regime: .t2).perQueryNDCG10 == a.perQueryNDCG10)
        #expect(try first.studentDirectory(spec, regime: .none, loss: .marginMSE).lastPathComponent
                == second.studentDirectory(spec, regime: .none, loss: .rankNet).lastPathComponent)
    }
}
