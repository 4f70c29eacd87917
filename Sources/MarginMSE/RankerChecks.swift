// The checks a ranker architecture must pass before the workflow can rely on it, as one function a user calls on
// their own type — from a test, or from a small executable (Docs/AddingARanker.md):
//   batch invariance  a pair scores the same alone and inside a batch (padding and length groups change nothing)
//   gradients         the analytic gradients of the small parameters equal central differences
//   save and load     a saved folder loads through the registry and scores exactly as the original
//   resume            a training run killed part-way and resumed ends with exactly the weights of an uninterrupted
//                     run (this is what fails when a ranker with dropout does not list it in `dropoutLayers`)
// Each check runs on a toy collection of word-piece ids 5…39, so `make` must build rankers whose vocabulary covers
// them and whose special tokens lie below 40.

import Foundation
import Tensors
import Student
import Training

/// One failed check: which, and what was seen.
public struct RankerCheckFailure: Error, CustomStringConvertible, Sendable, Equatable {
    public let check: String
    public let detail: String
    public var description: String { "\(check): \(detail)" }
}

public enum RankerChecks {
    /// Runs every check on rankers from `make(seed)` (the same seed must give the same initial weights). Returns
    /// the failures; empty means the architecture is fit for the workflow. Its registry entry must be registered
    /// (`RankerRegistry.register`) for the save-and-load check.
    public static func run(_ make: (UInt64) throws -> any Ranker) throws -> [RankerCheckFailure] {
        var failures: [RankerCheckFailure] = []
        let pairs = [RankerPair(query: [5, 9], passage: [7, 9, 20]), RankerPair(query: [12], passage: [6, 33, 18, 22]),
                     RankerPair(query: [14, 6, 30], passage: [6, 33, 18, 22, 11, 8, 9, 25, 31])]

        // Batch invariance.
        let r = try make(1)
        r.training = false
        let together = withNoGrad { r.score(pairs) }.scalars
        for (i, p) in pairs.enumerated() {
            let alone = withNoGrad { r.score([p]) }.scalars[0]
            if abs(alone - together[i]) > 2e-4 + 1e-4 * abs(alone) {
                failures.append(.init(check: "batch invariance", detail: "pair \(i) scores \(alone) alone, \(together[i]) in a batch"))
            }
        }

        // Gradients of the small parameters (heads, norms, scalers), at the first step size that passes: a ranker with
        // a max over tokens has kinks that a large step crosses.
        let small = r.parameters.filter { $0.tensor.count <= 40 }.map(\.tensor)
        if small.isEmpty {
            failures.append(.init(check: "gradients", detail: "no parameter of at most 40 values to check"))
        } else {
            let results = [1e-2, 3e-3, 3e-4, 1e-4].map { (h: Float) in
                gradientCheck(small, step: h, atol: 2e-3, rtol: 2e-2) { r.score(pairs) }
            }
            if !results.contains(where: \.passed) {
                failures.append(.init(check: "gradients", detail: "\(results.last.map { "\($0)" } ?? "")"))
            }
        }

        // Save and load through the registry.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ranker-checks-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            try r.save(to: dir.appendingPathComponent("saved"))
            let back = try RankerRegistry.load(dir.appendingPathComponent("saved"))
            back.training = false
            if back.parameters.map(\.name) != r.parameters.map(\.name) {
                failures.append(.init(check: "save and load", detail: "parameter names differ after loading"))
            } else if withNoGrad({ back.score(pairs) }).scalars != together {
                failures.append(.init(check: "save and load", detail: "the loaded ranker scores differently"))
            }
        } catch {
            failures.append(.init(check: "save and load", detail: "\(error)"))
        }

        // Resume after a kill: 8 steps with checkpoints every 2, killed during step 6, resumed from other weights.
        var triples: [ScoredTriple] = []
        var q: [String: [Int]] = [:], p: [String: [Int]] = [:]
        for i in 0..<6 {
            q["q\(i)"] = [10 + i, 5]; p["p\(i)"] = [10 + i, 10 + i, 7]; p["n\(i)"] = [30 + i, 8, 9]
        }
        for i in 0..<6 { for j in 0..<6 where j != i {
            triples.append(ScoredTriple(TrainingTriple(qid: "q\(i)", posPid: "p\(i)", negPid: "n\(j)"),
                                        teacherPositive: 3, teacherNegative: -1))
        } }
        let texts = TokenizedTexts(queries: q, passages: p)
        let config = PairwiseTrainingConfig(loss: .marginMSE, batchSize: 4,
                                            loop: TrainingLoopConfig(totalSteps: 8, learningRate: 3e-3, warmupSteps: 2,
                                                                     checkpointEvery: 2, seed: 5))
        struct Kill: Error {}
        let reference = try make(1)
        _ = try trainPairwise(reference, triples: triples, texts: texts, config: config,
                              checkpointDirectory: dir.appendingPathComponent("full"))
        do {
            _ = try trainPairwise(try make(1), triples: triples, texts: texts, config: config,
                                  checkpointDirectory: dir.appendingPathComponent("killed"),
                                  interrupt: { if $0 == 5 { throw Kill() } })
        } catch is Kill {}
        let resumed = try make(2)
        _ = try trainPairwise(resumed, triples: triples, texts: texts, config: config,
                              checkpointDirectory: dir.appendingPathComponent("killed"))
        if resumed.parameters.map(\.tensor.scalars) != reference.parameters.map(\.tensor.scalars) {
            failures.append(.init(check: "resume", detail: "a killed and resumed run ends with other weights than an uninterrupted one "
                                  + "(does dropoutLayers list every dropout layer?)"))
        }
        return failures
    }
}
