// Paper A's data: training triples from one set of queries, two test sets (DL19 and DL20 stand-ins at the smoke
// scale) untouched by training, cache identities that name the data, and evaluations keyed by the trained student.
import Foundation
import Testing
import MarginMSE
@testable import Experiments

@Suite struct PaperADataTests {
    @Test func twoTestSetsDisjointFromTrainingAndEachOther() throws {
        let dir = try SmokeRun.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = PaperAPipeline.forContext(SmokeRun.context(dir))
        #expect(try p.testSets.map(\.name) == ["synthetic-dl19", "synthetic-dl20"])
        #expect(try p.testSets.map { PaperA.label($0) } == ["DL19", "DL20"])
        let train = Set(try p.distillation.triples.trainingQueries + p.distillation.triples.validationQueries)
        let t19 = Set(try p.testSets[0].queries.keys), t20 = Set(try p.testSets[1].queries.keys)
        #expect(!train.isEmpty && !t19.isEmpty && !t20.isEmpty)
        #expect(train.isDisjoint(with: t19) && train.isDisjoint(with: t20) && t19.isDisjoint(with: t20))
        // Judgements and candidates follow the queries of their test set.
        for (t, qs) in [(try p.testSets[0], t19), (try p.testSets[1], t20)] {
            #expect(Set(t.qrels.judgements.keys).isSubset(of: qs) && Set(t.candidates.results.keys).isSubset(of: qs))
        }
        // Every test query's word pieces are there for re-ranking.
        let texts = try p.testTexts
        #expect(t19.union(t20).allSatisfy { texts.queries[$0] != nil })
    }

    @Test func realDataIdentitiesNameTheTrainingQueriesAndTestSets() {
        func context(_ seed: UInt64) -> ExperimentContext {
            ExperimentContext(scale: .default, dataDirectory: "/no/such/data", modelDirectory: nil,
                              outputDirectory: URL(fileURLWithPath: "/tmp/unused"),
                              cacheDirectory: URL(fileURLWithPath: "/tmp/unused/.cache"), seed: seed)
        }
        // The numerics generation ends it: a cache filled before the last change to trained models' bits is not read.
        let identity = "dev-small-train-keep-n4-depth20-v100-s208973249/dl19+dl20-test/all-MiniLM-L6-v2/numerics-2"
        #expect(PaperAPipeline(context: context(2020)).dataIdentity == identity)
        #expect(PaperAPipeline(context: context(2021)).dataIdentity == identity + "/seed-2021")
        // Teachers do not depend on the seed (theirs are the plan's): another seed reuses them.
        #expect(PaperAPipeline(context: context(2021)).teacherDataIdentity == identity)
        // Another sampling of the triples is another identity: its teachers and students are trained anew.
        var plan = PaperAPlan.forScale(.default)
        plan.devSmall.titled = .drop
        #expect(PaperAPipeline(context: context(2020), plan: plan).teacherDataIdentity
                == identity.replacingOccurrences(of: "-keep-", with: "-drop-"))
        // Paper B: dev-small's texts (absent from this data directory) would add "+dev-small".
        #expect(PaperBPipeline(context: context(2020)).dataIdentity == "default-data")
        #expect(PaperBPipeline(context: context(7)).dataIdentity == "default-data/seed-7")
        // The students' data order and dropout follow a non-default seed; the default seed keeps the plan's loop.
        let standard = PaperAPipeline(context: context(2020)), other = PaperAPipeline(context: context(2021))
        #expect(standard.studentLoop.seed == standard.plan.studentLoop.seed)
        #expect(other.studentLoop.seed != other.plan.studentLoop.seed)
    }

    /// A missing model folder or data directory is an error of the artefact that asks (kept and thrown again to the
    /// next one), not a crash of the run: the runner records the failure and goes on.
    @Test func aMissingModelOrDataIsAnErrorNotACrash() throws {
        let dir = try SmokeRun.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let context = ExperimentContext(scale: .default, dataDirectory: dir.appendingPathComponent("no-data").path,
                                        modelDirectory: nil, outputDirectory: dir.appendingPathComponent("out"),
                                        cacheDirectory: dir.appendingPathComponent("cache"))
        let a = PaperAPipeline(context: context), b = PaperBPipeline(context: context)
        for _ in 0..<2 {
            #expect(throws: ExperimentError.self) { try a.tokenizer }
            #expect(throws: (any Error).self) { try a.testSets }
            #expect(throws: ExperimentError.self) { try b.teacher }
        }
        let record = try Runner.run(Experiments.select("paper-a/table-b"), context: context, command: "test")
        #expect(record.items.count == 1 && record.items[0].status.hasPrefix("failed: "), "\(record.items)")
    }

    /// The long budget trains longer on the same data: more teacher and student steps, the students' sample grown with
    /// their steps, everything else equal; its teachers and students are other cache entries (their configurations
    /// differ). The smoke scale has one budget.
    @Test func theLongBudgetTrainsLongerOnTheSameData() {
        let standard = PaperAPlan.forScale(.default), long = PaperAPlan.forScale(.default, budget: .long)
        #expect(long.teacherT1.training.loop.totalSteps > standard.teacherT1.training.loop.totalSteps)
        #expect(long.studentLoop.totalSteps > standard.studentLoop.totalSteps)
        #expect(long.studentTriples == long.studentLoop.totalSteps * long.batchSize)
        #expect(standard.studentTriples == standard.studentLoop.totalSteps * standard.batchSize)
        #expect(long.devSmall == standard.devSmall && long.students == standard.students && long.limits == standard.limits)
        #expect(long.teacherT1 != standard.teacherT1 && long.ensemble.count == standard.ensemble.count)
        #expect(PaperAPlan.forScale(.smoke, budget: .long) == PaperAPlan.forScale(.smoke))
        #expect(PaperAPlan.forScale(.smoke).studentTriples == nil)
    }

    @Test func tablesShowBothTestSets() throws {
        let dir = try SmokeRun.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let record = try Runner.run(Experiments.select("paper-a/table-b"), context: SmokeRun.context(dir), command: "test")
        #expect(record.items.map(\.status) == ["ok"])
        let csv = try String(contentsOf: dir.appendingPathComponent("paper-a/table-b.csv"), encoding: .utf8)
        let header = csv.split(separator: "\n").first.map(String.init) ?? ""
        for column in ["DL19 nDCG@10", "DL19 MRR@10", "DL20 nDCG@10", "DL20 MRR@10"] {
            #expect(header.contains(column), "table B's header lacks \(column): \(header)")
        }
        let html = try String(contentsOf: dir.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.contains("TREC DL 2019") && html.contains("TREC DL 2020"))
    }

    /// A student's evaluation is cached under the student's own training key, not its name: when T2's members change,
    /// the T2 student is trained anew *and* evaluated anew (until 2026-12-04 the old evaluation was shown).
    @Test func evaluationsFollowTheTrainedStudentNotItsName() throws {
        let dir = try SmokeRun.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let context = SmokeRun.context(dir)
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
        let test = try first.mainTestSet
        let a = try first.evaluate(spec, regime: .t2, on: test)
        #expect(entries("eval") == 1 && entries("student") == 1)
        _ = try second.evaluate(spec, regime: .t2, on: test)
        #expect(entries("student") == 2, "another T2 member trains another T2 student")
        #expect(entries("eval") == 2, "and that student is evaluated, not the first one's record reused")
        // The unchanged plan still reads its own student's evaluation; no-KD students do not depend on the teachers.
        #expect(try first.evaluate(spec, regime: .t2, on: test).perQueryNDCG10 == a.perQueryNDCG10)
        #expect(try first.studentDirectory(spec, regime: .none, loss: .marginMSE).lastPathComponent
                == second.studentDirectory(spec, regime: .none, loss: .rankNet).lastPathComponent)
    }
}

@Suite struct CacheLockTests {
    /// A second lock on the same cache is refused with a message naming the holder; once the first is released the
    /// cache can be taken again; another cache is independent.
    @Test func oneRunPerCache() throws {
        let dir = try SmokeRun.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = dir.appendingPathComponent("cache")
        var first: CacheLock? = try CacheLock(cache)
        do {
            _ = try CacheLock(cache)
            Issue.record("a second lock on one cache was granted")
        } catch let e as ExperimentError {
            #expect(e.description.contains("process \(getpid())") && e.description.contains("give this run its own --cache"))
        }
        _ = try CacheLock(dir.appendingPathComponent("other-cache"))
        withExtendedLifetime(first) {}
        first = nil
        _ = try CacheLock(cache)
    }
}
