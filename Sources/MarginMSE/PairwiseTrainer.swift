// Pairwise training of any `Ranker` on triples ⟨q, p⁺, p⁻⟩ (Margin-MSE §2.1): step 1 (teacher, RankNet, no teacher
// scores) and step 3 (student, Margin-MSE or another `PairwiseLoss` against the stored teacher scores), on top of the
// generic `TrainingLoop`. Each step scores the B positive and B negative pairs in one forward pass of 2B pairs,
// logs the average positive and negative score (the paper's score-range figure) and back-propagates the loss.
// Only the student gets gradients: teacher scores are constants read from a file.
//
// Letters: B triples per batch.

import Foundation
import Tensors
import Student
import Training

/// A training triple with its teacher scores (nil for RankNet training).
public struct ScoredTriple: Sendable, Equatable {
    public var triple: TrainingTriple
    public var teacherPositive: Float?
    public var teacherNegative: Float?
    public init(_ triple: TrainingTriple, teacherPositive: Float? = nil, teacherNegative: Float? = nil) {
        self.triple = triple; self.teacherPositive = teacherPositive; self.teacherNegative = teacherNegative
    }
}

/// Word-piece ids (no special tokens) of the queries and passages that triples refer to.
public struct TokenizedTexts: Sendable {
    public var queries: [String: [Int]]
    public var passages: [String: [Int]]
    public init(queries: [String: [Int]], passages: [String: [Int]]) { self.queries = queries; self.passages = passages }

    func pair(_ qid: String, _ pid: String) throws -> RankerPair {
        guard let q = queries[qid] else { throw TrainingDataError("no text for query \(qid)") }
        guard let p = passages[pid] else { throw TrainingDataError("no text for passage \(pid)") }
        return RankerPair(query: q, passage: p)
    }
}

public struct TrainingDataError: Error, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}

/// Settings of a pairwise run.
public struct PairwiseTrainingConfig: Codable, Equatable, Sendable {
    public var loss: PairwiseLoss
    public var batchSize: Int
    public var loop: TrainingLoopConfig
    /// Padded tokens per length group (`LengthGrouping`); nil: the package's default, 512.
    public var tokenBudget: Int?
    /// Train the encoder on packed tokens (`TransformerEncoder.packedTokens`; rankers on a `TransformerEncoder`
    /// only); nil: padded, as the committed artefacts were trained. Both change the trained numbers in their last
    /// digits, not what is computed; left nil they are not written, so configurations (and the caches keyed by them)
    /// made before they existed are unchanged.
    public var packedTokens: Bool?
    public init(loss: PairwiseLoss, batchSize: Int = 32, loop: TrainingLoopConfig, tokenBudget: Int? = nil,
                packedTokens: Bool? = nil) {
        self.loss = loss; self.batchSize = batchSize; self.loop = loop
        self.tokenBudget = tokenBudget; self.packedTokens = packedTokens
    }

    /// The length groups a step scores its pairs in.
    public var grouping: LengthGrouping { tokenBudget.map { LengthGrouping(tokenBudget: $0) } ?? LengthGrouping() }
}

/// One batch of B triples as the ranker sees them: the B ⟨q, p⁺⟩ pairs, the B ⟨q, p⁻⟩ pairs and, for a loss that
/// needs them, the teacher's B positive and B negative scores.
public struct PairBatch: Sendable {
    public var positives: [RankerPair]
    public var negatives: [RankerPair]
    public var teacherPositive: [Float]?
    public var teacherNegative: [Float]?
    public init(positives: [RankerPair], negatives: [RankerPair], teacherPositive: [Float]? = nil,
                teacherNegative: [Float]? = nil) {
        precondition(positives.count == negatives.count, "\(positives.count) positive and \(negatives.count) negative pairs")
        self.positives = positives; self.negatives = negatives
        self.teacherPositive = teacherPositive; self.teacherNegative = teacherNegative
    }

    /// `batch`'s pairs from the word pieces in `texts`, with its teacher scores when every triple has them.
    public init(_ batch: [ScoredTriple], texts: TokenizedTexts) throws {
        let scored = batch.allSatisfy { $0.teacherPositive != nil && $0.teacherNegative != nil }
        self.init(positives: try batch.map { try texts.pair($0.triple.qid, $0.triple.posPid) },
                  negatives: try batch.map { try texts.pair($0.triple.qid, $0.triple.negPid) },
                  teacherPositive: scored ? batch.map { $0.teacherPositive! } : nil,
                  teacherNegative: scored ? batch.map { $0.teacherNegative! } : nil)
    }
}

/// One training step on `batch`: forward of the 2B pairs (in length groups), loss, backward. Returns the loss and the
/// average positive and negative scores ("pos_avg", "neg_avg").
public func pairwiseStep(_ ranker: any Ranker, batch: [ScoredTriple], texts: TokenizedTexts,
                         loss: PairwiseLoss, grouping: LengthGrouping = LengthGrouping()) throws -> StepStats {
    try pairwiseStep(ranker, batch: PairBatch(batch, texts: texts), loss: loss, grouping: grouping)
}

/// One training step on `batch` (see above).
public func pairwiseStep(_ ranker: any Ranker, batch: PairBatch, loss: PairwiseLoss,
                         grouping: LengthGrouping = LengthGrouping()) throws -> StepStats {
    let b = batch.positives.count
    let pairs = batch.positives + batch.negatives
    var tp: Tensor?, tn: Tensor?
    if loss.needsTeacher {
        guard let p = batch.teacherPositive, let n = batch.teacherNegative else {
            throw TrainingDataError("loss \(loss.rawValue) needs teacher scores for every triple")
        }
        tp = Tensor(shape: [b], scalars: p)
        tn = Tensor(shape: [b], scalars: n)
    }
    // Forward and backward with the parameters fixed: each weight is packed for the GEMM once for the whole step.
    return try withGrad { try Kernels.withPackedWeights {
        let s = ranker.score(pairs, grouping: grouping)                  // [2B]
        let sp = s.slice(axis: 0, 0..<b), sn = s.slice(axis: 0, b..<2 * b)   // [B], [B]
        let l = loss(studentPositive: sp, studentNegative: sn, teacherPositive: tp, teacherNegative: tn)
        guard l.item.isFinite else { throw TrainingDataError("loss is \(l.item) (diverged)") }
        l.backward()
        let v = s.scalars
        let pos = v[0..<b].reduce(0.0) { $0 + Double($1) } / Double(b)
        let neg = v[b..<2 * b].reduce(0.0) { $0 + Double($1) } / Double(b)
        return StepStats(loss: Double(l.item), metrics: ["pos_avg": pos, "neg_avg": neg])
    } }
}

/// Trains `ranker` on `triples` (resuming from `checkpointDirectory` when it holds a checkpoint of the same run).
/// `validate` scores the ranker (dropout off), higher is better, e.g. `rerankValidation`. With validation the best
/// parameters are restored at the end. `interrupt` is called before each step (tests throw from it to simulate a kill).
@discardableResult
public func trainPairwise(_ ranker: any Ranker, triples: [ScoredTriple], texts: TokenizedTexts,
                          config: PairwiseTrainingConfig, checkpointDirectory: URL? = nil,
                          validate: ((any Ranker) throws -> Double)? = nil,
                          timeBudgetSeconds: Double? = nil,
                          progress: ((TrainingProgress) -> Void)? = nil, progressEvery: Int = 10,
                          interrupt: ((Int) throws -> Void)? = nil) throws -> TrainingResult {
    guard !triples.isEmpty else { throw TrainingDataError("no training triples") }
    let order = BatchOrder(count: triples.count, batchSize: config.batchSize, seed: config.loop.seed)
    return try trainPairwise(ranker, batches: { try PairBatch(order.batch($0).map { triples[$0] }, texts: texts) },
                             identity: tripleHash(triples), config: config, checkpointDirectory: checkpointDirectory,
                             validate: validate, timeBudgetSeconds: timeBudgetSeconds, progress: progress,
                             progressEvery: progressEvery, interrupt: interrupt)
}

/// Trains `ranker` on the batches `batches(i)` gives for step i (e.g. streamed from a file), as above. `identity`
/// names the data (with the architecture and `config`, it decides whether a checkpoint belongs to this run).
@discardableResult
public func trainPairwise(_ ranker: any Ranker, batches: @escaping (Int) throws -> PairBatch, identity: String,
                          config: PairwiseTrainingConfig, checkpointDirectory: URL? = nil,
                          validate: ((any Ranker) throws -> Double)? = nil,
                          timeBudgetSeconds: Double? = nil,
                          progress: ((TrainingProgress) -> Void)? = nil, progressEvery: Int = 10,
                          interrupt: ((Int) throws -> Void)? = nil) throws -> TrainingResult {
    let optimizer = AdamW(ranker.parameters, config: config.loop.adam)
    let dropouts = ranker.dropoutLayers   // reseeded every step, so that a resumed run draws the same masks
    let grouping = config.grouping
    let packedEncoder = config.packedTokens == true ? (ranker as? any EncoderRanker)?.encoder : nil
    let wasPacked = packedEncoder?.packedTokens ?? false
    packedEncoder?.packedTokens = true
    defer { packedEncoder?.packedTokens = wasPacked }
    let validation: (() throws -> Double)? = validate.map { v in
        {
            ranker.training = false
            defer { ranker.training = true }
            return try v(ranker)
        }
    }
    let loop = TrainingLoop(config: config.loop, optimizer: optimizer, checkpointDirectory: checkpointDirectory,
                            validate: validation) { index in
        try interrupt?(index)
        let seed = TrainingLoop.stepSeed(config.loop.seed, index)
        for (k, d) in dropouts.enumerated() { d.reseed(seed &+ UInt64(k)) }
        return try pairwiseStep(ranker, batch: batches(index), loss: config.loss, grouping: grouping)
    }
    loop.progress = progress
    loop.progressEvery = progressEvery
    loop.timeBudgetSeconds = timeBudgetSeconds
    loop.runIdentity = identity + ranker.architecture + configurationHash(config)
    ranker.training = true
    defer { ranker.training = false }
    return try loop.run()
}

/// A stable hash of the triples and their teacher scores (part of a run's identity and of cache keys).
public func tripleHash(_ triples: [ScoredTriple]) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(triples.count * 24)
    for t in triples {
        bytes += Array("\(t.triple.qid)\t\(t.triple.posPid)\t\(t.triple.negPid)\t".utf8)
        bytes += Array("\(t.teacherPositive?.bitPattern ?? 0)\t\(t.teacherNegative?.bitPattern ?? 0)\n".utf8)
    }
    return stableHash(bytes)
}
