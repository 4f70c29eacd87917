// The training loop and the pairwise trainer: determinism for a seed, resume after a kill to the same result
// (bit for bit), early stopping with best-parameter restore, atomic checkpoints, batch order, and that training
// with Margin-MSE actually moves a tiny student's margins towards the teacher's.

import Foundation
import Testing
import PropertyTesting
import Tensors
import Student
@testable import MarginMSE
import Training

func temporaryDirectory(_ name: String) -> URL {
    let u = testScratchRoot
        .appendingPathComponent("marginmse-tests-\(name)-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
    try? FileManager.default.removeItem(at: u)
    return u
}

/// A tiny BERT_CAT (vocabulary 40, hidden 16, 1 layer, dropout 0.1 on) and a toy collection: query q_i is about
/// token 10+i; its positive passage repeats that token, negatives are other tokens.
struct ToyData {
    let texts: TokenizedTexts
    let triples: [ScoredTriple]

    init(queries: Int = 6, withTeacher: Bool = true) {
        var q: [String: [Int]] = [:], p: [String: [Int]] = [:], t: [ScoredTriple] = []
        for i in 0..<queries {
            q["q\(i)"] = [10 + i, 5]
            p["p\(i)"] = [10 + i, 10 + i, 7]
            p["n\(i)"] = [30 + i, 8, 9]
        }
        for i in 0..<queries {
            for j in 0..<queries where j != i {
                let tr = TrainingTriple(qid: "q\(i)", posPid: "p\(i)", negPid: j % 2 == 0 ? "n\(j)" : "p\(j)")
                t.append(withTeacher ? ScoredTriple(tr, teacherPositive: 4 + Float(i) * 0.1, teacherNegative: -2)
                                     : ScoredTriple(tr))
            }
        }
        texts = TokenizedTexts(queries: q, passages: p)
        triples = t
    }
}

func tinyCat(seed: UInt64 = 3) -> BertCat {
    let c = BertConfig(vocabSize: 40, hiddenSize: 16, numHiddenLayers: 1, numAttentionHeads: 2, intermediateSize: 32,
                       maxPositionEmbeddings: 32)
    return BertCat(encoder: TransformerEncoder(config: c, pooler: false, seed: seed),
                   specials: SpecialTokens(pad: 0, unk: 1, cls: 2, sep: 3, mask: 4), seed: seed)
}

func parameterValues(_ r: any Ranker) -> [[Float]] { r.parameters.map { $0.tensor.scalars } }

struct SimulatedKill: Error {}

@Suite(.serialized) struct TrainerTests {
    let data = ToyData()
    func config(_ loss: PairwiseLoss = .marginMSE, steps: Int = 12, every: Int = 4) -> PairwiseTrainingConfig {
        PairwiseTrainingConfig(loss: loss, batchSize: 4,
                               loop: TrainingLoopConfig(totalSteps: steps, learningRate: 3e-3, warmupSteps: 3,
                                                        linearDecay: true, checkpointEvery: every, seed: 11))
    }

    @Test func deterministicForASeed() throws {
        let a = tinyCat(), b = tinyCat()
        let ra = try trainPairwise(a, triples: data.triples, texts: data.texts, config: config())
        let rb = try trainPairwise(b, triples: data.triples, texts: data.texts, config: config())
        #expect(parameterValues(a) == parameterValues(b))
        #expect(ra.state.steps == rb.state.steps)
        #expect(ra.state.steps.count == 12)
        #expect(ra.state.steps.allSatisfy { $0.metrics["pos_avg"] != nil && $0.metrics["neg_avg"] != nil })
    }

    /// Progress reaches the caller every `progressEvery` steps and at the last (the pipelines ask for every step and
    /// throttle by time themselves).
    @Test func progressComesEveryRequestedStep() throws {
        for (every, expected) in [(1, Array(1...12)), (5, [5, 10, 12])] {
            var steps: [Int] = []
            try trainPairwise(tinyCat(), triples: data.triples, texts: data.texts, config: config(),
                              progress: { steps.append($0.step) }, progressEvery: every)
            #expect(steps == expected, "every \(every)")
        }
    }

    /// The training route's two options: left nil they are not written (configurations and the caches keyed by
    /// them stay as they were); set, they take effect — on toy pairs of different lengths, where packing drops padding
    /// and one pair per group changes the groups, each draws other dropout masks, so the trained weights differ —
    /// and change only rounding: without dropout, the first step's loss agrees. The encoder's setting is restored.
    @Test func tokenBudgetAndPackedTokensAreOptionsOfTheRun() throws {
        let plain = try String(decoding: JSONEncoder().encode(config()), as: UTF8.self)
        #expect(!plain.contains("tokenBudget") && !plain.contains("packedTokens"), "\(plain)")
        let old = try JSONDecoder().decode(PairwiseTrainingConfig.self, from: Data(plain.utf8))
        #expect(old == config() && old.grouping == LengthGrouping())
        var q: [String: [Int]] = [:], p: [String: [Int]] = [:], triples: [ScoredTriple] = []
        for i in 0..<6 {
            q["q\(i)"] = Array(repeating: 10 + i, count: 1 + i % 3)
            p["p\(i)"] = Array(repeating: 10 + i, count: 2 + i) + [7]
            p["n\(i)"] = [30 + i] + Array(repeating: 8, count: 5 - i)
        }
        for i in 0..<6 {
            for j in 0..<6 where j != i {
                triples.append(ScoredTriple(TrainingTriple(qid: "q\(i)", posPid: "p\(i)", negPid: "n\(j)"),
                                            teacherPositive: 4, teacherNegative: -2 + Float(j) * 0.1))
            }
        }
        let texts = TokenizedTexts(queries: q, passages: p)
        var packed = config(steps: 4), budget = config(steps: 4)
        packed.packedTokens = true
        budget.tokenBudget = 1
        #expect(configurationHash(packed) != configurationHash(config(steps: 4)))
        func train(_ cfg: PairwiseTrainingConfig, dropout: Bool) throws -> (BertCat, TrainingResult) {
            let r = tinyCat()
            if !dropout { r.encoder.dropout.p = 0 }
            let result = try trainPairwise(r, triples: triples, texts: texts, config: cfg)
            return (r, result)
        }
        let (a, _) = try train(config(steps: 4), dropout: true)
        let (b, _) = try train(packed, dropout: true)
        let (c, _) = try train(budget, dropout: true)
        #expect(!b.encoder.packedTokens, "the encoder's own setting is restored")
        #expect(parameterValues(a) != parameterValues(b), "packed tokens must draw other dropout masks")
        #expect(parameterValues(a) != parameterValues(c), "one pair per group must draw other dropout masks")
        let losses = try [config(steps: 4), packed, budget].map { try train($0, dropout: false).1.state.steps[0].loss }
        for l in losses.dropFirst() {
            #expect(abs(l - losses[0]) <= 1e-5 * max(1, abs(losses[0])), "first-step losses \(losses)")
        }
    }

    @Test func killedRunResumesToTheSameResult() throws {
        let reference = tinyCat()
        let full = try trainPairwise(reference, triples: data.triples, texts: data.texts, config: config(),
                                     checkpointDirectory: temporaryDirectory("full"))
        // A run killed during step 7 (index 6; its last checkpoint is after step 4), then resumed by a new process.
        let dir2 = temporaryDirectory("killed")
        #expect(throws: SimulatedKill.self) {
            try trainPairwise(tinyCat(), triples: data.triples, texts: data.texts, config: config(),
                              checkpointDirectory: dir2, interrupt: { i in if i == 6 { throw SimulatedKill() } })
        }
        let resumedModel = tinyCat(seed: 99)   // different initial weights: everything must come from the checkpoint
        let resumed = try trainPairwise(resumedModel, triples: data.triples, texts: data.texts, config: config(),
                                        checkpointDirectory: dir2)
        #expect(resumed.resumed)
        #expect(parameterValues(resumedModel) == parameterValues(reference))
        #expect(resumed.state.steps == full.state.steps)
        #expect(!FileManager.default.fileExists(atPath: dir2.appendingPathComponent("latest.tmp").path))
    }

    @Test func checkpointOfAnotherRunIsRefused() throws {
        let dir = temporaryDirectory("other")
        try trainPairwise(tinyCat(), triples: data.triples, texts: data.texts, config: config(steps: 4),
                          checkpointDirectory: dir)
        #expect(throws: CheckpointError.self) {
            try trainPairwise(tinyCat(), triples: data.triples, texts: data.texts, config: config(.rankNet, steps: 4),
                              checkpointDirectory: dir)
        }
    }

    @Test func earlyStoppingKeepsTheBestParameters() throws {
        // A validator that peaks at the second validation, then falls: patience 2 stops after the 4th.
        let r = tinyCat()
        var scores = [0.1, 0.9, 0.5, 0.4, 0.3, 0.2].makeIterator()
        var snapshotAtBest: [[Float]] = []
        var cfg = config(steps: 40)
        cfg.loop.validateEvery = 2; cfg.loop.patience = 2
        let result = try trainPairwise(r, triples: data.triples, texts: data.texts, config: cfg,
                                       checkpointDirectory: temporaryDirectory("early"),
                                       validate: { m in
                                           let s = scores.next()!
                                           if s == 0.9 { snapshotAtBest = parameterValues(m) }
                                           return s
                                       })
        #expect(result.state.stoppedEarly)
        #expect(result.state.bestStep == 4 && result.state.bestScore == 0.9)
        #expect(result.state.validations.map(\.score) == [0.1, 0.9, 0.5, 0.4])
        #expect(result.state.step == 8)
        #expect(parameterValues(r) == snapshotAtBest)
    }

    @Test func marginMSEPullsStudentMarginsToTheTeacher() throws {
        let r = tinyCat()
        func meanMarginError() -> Double {
            let pairsP = data.triples.map { RankerPair(query: data.texts.queries[$0.triple.qid]!, passage: data.texts.passages[$0.triple.posPid]!) }
            let pairsN = data.triples.map { RankerPair(query: data.texts.queries[$0.triple.qid]!, passage: data.texts.passages[$0.triple.negPid]!) }
            let sp = withNoGrad { r.score(pairsP).scalars }, sn = withNoGrad { r.score(pairsN).scalars }
            return zip(data.triples.indices, zip(sp, sn)).map { i, s in
                let t = data.triples[i]
                let d = Double((s.0 - s.1) - (t.teacherPositive! - t.teacherNegative!))
                return d * d
            }.reduce(0, +) / Double(data.triples.count)
        }
        let before = meanMarginError()
        var cfg = config(steps: 150)
        cfg.loop.checkpointEvery = 0
        cfg.loop.learningRate = 1e-2
        try trainPairwise(r, triples: data.triples, texts: data.texts, config: cfg)
        let after = meanMarginError()
        #expect(after < before * 0.5, "margin MSE \(before) → \(after)")
    }

    @Test func rankNetNeedsNoTeacherButMarginMSEDoes() throws {
        let plain = ToyData(withTeacher: false)
        try trainPairwise(tinyCat(), triples: plain.triples, texts: plain.texts, config: config(.rankNet, steps: 2, every: 0))
        #expect(throws: TrainingDataError.self) {
            try trainPairwise(tinyCat(), triples: plain.triples, texts: plain.texts, config: config(.marginMSE, steps: 2, every: 0))
        }
    }

    @Test func batchOrderCoversEachEpochOnce() throws {
        try propertyCheck(Gen.zip(Gen.int(in: 1...40), Gen.int(in: 1...9))) { n, b in
            let o = BatchOrder(count: n, batchSize: b, seed: 5)
            let epoch = (0..<o.batchesPerEpoch).flatMap { o.batch($0) }
            try require(Set(epoch).count == epoch.count, "duplicate in an epoch")
            try require(epoch.count == (n < b ? n : (n / b) * b), "epoch of \(epoch.count)")
            try require(BatchOrder(count: n, batchSize: b, seed: 5).batch(o.batchesPerEpoch + 1) == o.batch(o.batchesPerEpoch + 1),
                        "batch depends on history")
        }
    }
}
