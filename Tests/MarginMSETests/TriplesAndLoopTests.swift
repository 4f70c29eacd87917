// Training triples (the doc comment's worked example and sampling properties) and the generic TrainingLoop used
// without any ranker: an embedding-MSE regression (the compression paper's kind of loop) that resumes exactly.

import Foundation
import Testing
import PropertyTesting
import Tensors
@testable import MarginMSE

@Suite struct TrainingTripleTests {
    @Test func workedExample() {
        let s = buildTrainingTriples(judgements: ["1": ["a": 3, "b": 1, "c": 0]], candidates: ["1": ["a", "b", "c", "d"]],
                                     sampling: TripleSampling(negativesPerPositive: 10, validationQueries: 0))
        #expect(Set(s.triples) == [TrainingTriple(qid: "1", posPid: "a", negPid: "c"),
                                   TrainingTriple(qid: "1", posPid: "a", negPid: "d")])
        #expect(s.triples.count == 2 && s.trainingQueries == ["1"] && s.validationQueries.isEmpty)
    }

    /// Random judgements and runs: every triple's p⁺ is judged ≥ 2, p⁻ is a candidate within depth judged ≤ 0 or
    /// unjudged, validation queries produce no triples, and the result is a function of the seed.
    @Test func samplingProperties() throws {
        let gen = Gen.zip(Gen.int(in: 1...12), Gen.int(in: 0...3), Gen.int(in: 1...5))
        try propertyCheck(gen) { v in
            let (queries, held, perPositive) = v
            var rng = Xoshiro256(seed: UInt64(queries * 31 + held))
            var j: [String: [String: Int]] = [:], c: [String: [String]] = [:]
            for q in 0..<queries {
                let pids = (0..<12).map { _ in "d\(rng.nextInt(below: 20))" }
                c["q\(q)"] = pids
                for p in pids where rng.nextInt(below: 2) == 0 { j["q\(q)", default: [:]][p] = rng.nextInt(below: 4) }
            }
            let sampling = TripleSampling(negativeDepth: 8, negativesPerPositive: perPositive, validationQueries: held,
                                          seed: 9)
            let s = buildTrainingTriples(judgements: j, candidates: c, sampling: sampling)
            try require(s == buildTrainingTriples(judgements: j, candidates: c, sampling: sampling), "not deterministic")
            try require(Set(s.validationQueries).isDisjoint(with: s.triples.map(\.qid)), "validation query trained on")
            for t in s.triples {
                try require((j[t.qid]?[t.posPid] ?? 0) >= 2, "p⁺ \(t) not judged ≥ 2")
                try require((j[t.qid]?[t.negPid] ?? 0) <= 0, "p⁻ \(t) judged relevant")
                try require(c[t.qid]!.prefix(8).contains(t.negPid), "p⁻ \(t) outside the depth")
            }
            try require(Set(s.triples).count == s.triples.count, "duplicate triple")
        }
    }

    /// A sample is `count` distinct triples of the set, in the set's order, a function of the seed; its training
    /// queries are exactly the sampled triples' queries (in the set's order); the validation queries are unchanged;
    /// asking for at least every triple returns the set itself.
    @Test func sampleProperties() throws {
        let gen = Gen.zip(Gen.int(in: 0...40), Gen.int(in: 0...50), Gen.int(in: 0...1_000))
        try propertyCheck(gen) { v in
            let (n, count, seed) = v
            let triples = (0..<n).map { TrainingTriple(qid: "q\($0 % 7)", posPid: "p\($0)", negPid: "n\($0)") }
            let set = TripleSet(triples: triples, trainingQueries: (0..<7).map { "q\($0)" }.filter { q in triples.contains { $0.qid == q } },
                                validationQueries: ["v1", "v2"])
            let s = set.sample(count, seed: UInt64(seed))
            try require(s == set.sample(count, seed: UInt64(seed)), "not deterministic")
            try require(s.triples.count == min(count, n), "\(s.triples.count) triples for \(count) of \(n)")
            let position = Dictionary(uniqueKeysWithValues: triples.enumerated().map { ($1, $0) })
            let at = s.triples.map { position[$0] }
            try require(at.allSatisfy { $0 != nil }, "a triple not in the set")
            try require(zip(at, at.dropFirst()).allSatisfy { $0! < $1! }, "not in the set's order, or repeated")
            try require(s.trainingQueries == set.trainingQueries.filter { q in s.triples.contains { $0.qid == q } },
                        "training queries \(s.trainingQueries)")
            try require(s.validationQueries == set.validationQueries, "validation queries changed")
            if count >= n { try require(s == set, "the whole set expected") }
        }
        // Different seeds draw different samples (20 of 40).
        let big = TripleSet(triples: (0..<40).map { TrainingTriple(qid: "q", posPid: "p\($0)", negPid: "n") },
                            trainingQueries: ["q"], validationQueries: [])
        #expect(big.sample(20, seed: 1) != big.sample(20, seed: 2))
    }
}

@Suite struct GenericLoopTests {
    /// Regress a linear map W [4,3] onto fixed targets with embedding MSE, 20 steps, checkpoint every 5.
    func run(dir: URL?, killAt: Int? = nil, initSeed: UInt64 = 1) throws -> (TrainingResult, [Float]) {
        var rng = Xoshiro256(seed: initSeed)
        let w = Tensor.randomNormal([4, 3], rng: &rng, requiresGrad: true)
        var data = Xoshiro256(seed: 77)
        let x = Tensor.randomNormal([16, 4], rng: &data), target = Tensor.randomNormal([16, 3], rng: &data)
        let order = BatchOrder(count: 16, batchSize: 4, seed: 3)
        let cfg = TrainingLoopConfig(totalSteps: 20, learningRate: 0.05, warmupSteps: 2, checkpointEvery: 5)
        let loop = TrainingLoop(config: cfg, optimizer: AdamW([("w", w)], config: cfg.adam), checkpointDirectory: dir) { i in
            if i == killAt { throw SimulatedKill() }
            let idx = order.batch(i)
            let l = withGrad { embeddingMSELoss(student: x.indexSelect(idx).matmul(w), teacher: target.indexSelect(idx)) }
            l.backward()
            return StepStats(loss: Double(l.item))
        }
        var reports: [TrainingProgress] = []
        loop.progress = { reports.append($0) }
        loop.progressEvery = 5
        let r = try loop.run()
        if !r.resumed { #expect(reports.count == 4 && reports.last?.step == 20) }
        #expect(reports.allSatisfy { $0.line.hasPrefix("step ") && $0.line.contains("steps/s") && $0.line.contains("ETA") })
        return (r, w.scalars)
    }

    @Test func resumesExactlyAndLearns() throws {
        let (full, wFull) = try run(dir: nil)
        #expect(full.state.steps.last!.loss < full.state.steps.first!.loss)
        let dir = temporaryDirectory("generic")
        #expect(throws: SimulatedKill.self) { try run(dir: dir, killAt: 13) }
        let (resumed, wResumed) = try run(dir: dir, initSeed: 2)
        #expect(resumed.resumed)
        #expect(wResumed == wFull)
        #expect(resumed.state.steps.map(\.loss) == full.state.steps.map(\.loss))
    }

    @Test func scheduleFollowsTheConfig() {
        let c = TrainingLoopConfig(totalSteps: 10, learningRate: 1, warmupSteps: 4, linearDecay: true)
        let expected: [Float] = [0, 0.25, 0.5, 0.75, 1, 5 / 6, 4 / 6, 3 / 6, 2 / 6, 1 / 6]
        let rates: [Float] = (0..<10).map { c.schedule.rate(at: $0) }
        #expect(rates == expected)
    }

    @Test func configurationHashIsStable() {
        #expect(stableHash(Array("".utf8)) == "cbf29ce484222325")
        #expect(stableHash(Array("a".utf8)) == "af63dc4c8601ec8c")
        let a = TrainingLoopConfig(totalSteps: 5), b = TrainingLoopConfig(totalSteps: 6)
        #expect(configurationHash(a) == configurationHash(a) && configurationHash(a) != configurationHash(b))
    }
}

@Suite struct ProgressLineTests {
    /// With no wait between lines, every report is a line; with a long wait, only the final one; the ETA comes from
    /// the pace so far.
    @Test func linesAreThrottledAndTheLastOneAlwaysComes() {
        var lines: [String] = []
        let every = throttledFractionProgress("phase", every: 0) { lines.append($0) }
        for f in [0.25, 0.5, 1.0] { every(f) }
        #expect(lines.count == 3 && lines[0].hasPrefix("phase: 25% done, ETA ") && lines[2] == "phase: 100% done, ETA 0m0s")
        lines = []
        let rarely = throttledFractionProgress("phase", every: 3600) { lines.append($0) }
        for f in [0.1, 0.2, 0.9, 1.0] { rarely(f) }
        #expect(lines == ["phase: 100% done, ETA 0m0s"])
        lines = []
        let training = throttledTrainingProgress(every: 3600) { lines.append($0) }
        for step in [10, 20, 30] {
            training(TrainingProgress(step: step, totalSteps: 30, stepsPerSecond: 1, loss: 0.5, lastValidation: nil))
        }
        #expect(lines == ["step 30/30  1.00 steps/s  loss 0.5000  ETA 0m0s"])
    }
}
