// The paper's three-step workflow (Margin-MSE §2.1, Fig. A) as three functions with Codable configurations, so that
// the experiment grid can cache every result by a configuration hash:
//   1. `trainTeacher`  — BERT_CAT on a (layer-reduced) MiniLM encoder with a new head, RankNet on the triples,
//                        validated by nDCG@10 on held-out queries (early stopping, best checkpoint).
//   2. `scoreTriples`  — (TeacherScoreFile.swift) the teacher scores ⟨q,p⁺⟩ and ⟨q,p⁻⟩ of every triple; several
//                        teachers' scores are averaged into T2 by `TeacherEnsemble`.
//   3. `trainStudent`  — any registered architecture cut from the encoder, trained with a `PairwiseLoss` (Margin-MSE
//                        against the stored teacher scores, or RankNet for the no-KD baseline).
// Left out: the paper's BERT-Base/Large/ALBERT teachers (not available here; Docs/Paper-MarginMSE.md explains the stand-in).

import Foundation
import Tensors
import Student
import Vocab
import Eval
import Training

/// Training data of one run: triples from the training queries, held-out validation queries, and the word pieces
/// of every query and passage.
public struct DistillationData: Sendable {
    public var triples: TripleSet
    public var validation: RerankingData
    public var texts: TokenizedTexts

    public init(triples: TripleSet, validation: RerankingData, texts: TokenizedTexts) {
        self.triples = triples; self.validation = validation; self.texts = texts
    }

    /// Triples from `data` (e.g. TREC DL 2020 with its BM25 candidates) sampled as `sampling` says.
    public static func make(_ data: RerankingData, tokenizer: BertTokenizer, sampling: TripleSampling = .init()) -> DistillationData {
        let set = buildTrainingTriples(judgements: data.qrels.judgements, candidates: data.candidateLists, sampling: sampling,
                                       hasText: { data.passages[$0] != nil })
        return DistillationData(triples: set, validation: data.restricted(to: set.validationQueries),
                                texts: data.tokenized(tokenizer))
    }
}

/// Step 1: a BERT_CAT teacher.
public struct TeacherConfig: Codable, Equatable, Sendable {
    public var name: String
    /// Encoder layers kept from the pre-trained encoder (0-based).
    public var keepLayers: [Int]
    /// Head initialisation seed (the data order and dropout follow `training.loop.seed`).
    public var seed: UInt64
    public var limits: InputLimits
    public var training: PairwiseTrainingConfig
    /// Candidates re-ranked per validation query.
    public var validationDepth: Int

    public init(name: String = "T1", keepLayers: [Int] = Array(0..<6), seed: UInt64 = 1,
                limits: InputLimits = InputLimits(maxQueryLength: 30, maxPassageLength: 200),
                training: PairwiseTrainingConfig = PairwiseTrainingConfig(
                    loss: .rankNet, loop: TrainingLoopConfig(totalSteps: 1000, learningRate: 3e-5, warmupSteps: 100,
                                                             validateEvery: 100, patience: 5, checkpointEvery: 100)),
                validationDepth: Int = 100) {
        self.name = name; self.keepLayers = keepLayers; self.seed = seed; self.limits = limits
        self.training = training; self.validationDepth = validationDepth
    }

    /// The identity used for score caches: the configuration's hash.
    public var identity: String { "\(name)-\(configurationHash(self))" }
}

/// Step 3: a student.
public struct StudentConfig: Codable, Equatable, Sendable {
    /// Registry name: "bert-cat", "bert-dot", "colbert", "prett", "tk".
    public var architecture: String
    public var keepLayers: [Int]
    public var options: [String: String]
    public var seed: UInt64
    public var limits: InputLimits
    public var training: PairwiseTrainingConfig
    public var validationDepth: Int

    public init(architecture: String = "bert-dot", keepLayers: [Int] = [0, 5], options: [String: String] = [:],
                seed: UInt64 = 1, limits: InputLimits = InputLimits(maxQueryLength: 30, maxPassageLength: 200),
                training: PairwiseTrainingConfig = PairwiseTrainingConfig(
                    loss: .marginMSE, loop: TrainingLoopConfig(totalSteps: 1000, learningRate: 3e-5, warmupSteps: 100,
                                                               validateEvery: 100, patience: 5, checkpointEvery: 100)),
                validationDepth: Int = 100) {
        self.architecture = architecture; self.keepLayers = keepLayers; self.options = options; self.seed = seed
        self.limits = limits; self.training = training; self.validationDepth = validationDepth
    }
}

/// What a training run can be told besides its configuration.
public struct RunControl {
    public var checkpointDirectory: URL?
    public var timeBudgetSeconds: Double?
    public var progress: ((TrainingProgress) -> Void)?
    /// Steps between reports to `progress`: 1 for a printer that throttles by time itself
    /// (`throttledTrainingProgress`), so that its lines come at its own interval.
    public var progressEvery: Int
    public init(checkpointDirectory: URL? = nil, timeBudgetSeconds: Double? = nil,
                progress: ((TrainingProgress) -> Void)? = nil, progressEvery: Int = 10) {
        self.checkpointDirectory = checkpointDirectory; self.timeBudgetSeconds = timeBudgetSeconds; self.progress = progress
        self.progressEvery = progressEvery
    }
}

/// Step 1 of the workflow: trains a BERT_CAT teacher on `encoder`'s kept layers with a new head, with the loss of
/// `config.training` (RankNet), validating by nDCG@10 on `data.validation` when it has queries.
public func trainTeacher(_ config: TeacherConfig, encoder: TransformerEncoder, data: DistillationData,
                         control: RunControl = RunControl()) throws -> (teacher: BertCat, result: TrainingResult) {
    let teacher = BertCat(encoder: encoder.reduced(keepingLayers: config.keepLayers), usePooler: false,
                          limits: config.limits, seed: config.seed)
    let result = try trainRanker(teacher, triples: data.triples.triples.map { ScoredTriple($0) },
                                 training: config.training, depth: config.validationDepth, data: data, control: control)
    return (teacher, result)
}

/// Step 3 of the workflow: a student of `config.architecture` cut from `encoder`, trained on the triples with
/// `scores` (the teacher's; nil for RankNet).
public func trainStudent(_ config: StudentConfig, encoder: TransformerEncoder, scores: [TeacherScore]?,
                         data: DistillationData, control: RunControl = RunControl()) throws -> (student: any Ranker, result: TrainingResult) {
    let student = try RankerRegistry.make(config.architecture, teacher: encoder,
                                          recipe: StudentRecipe(keepLayers: config.keepLayers, limits: config.limits,
                                                                seed: config.seed, options: config.options))
    let triples: [ScoredTriple]
    if let scores {
        guard scores.map(\.triple) == data.triples.triples else {
            throw TrainingDataError("teacher scores do not list the training triples in order (\(scores.count) vs \(data.triples.triples.count))")
        }
        triples = scores.map(\.scored)
    } else {
        triples = data.triples.triples.map { ScoredTriple($0) }
    }
    let result = try trainRanker(student, triples: triples, training: config.training, depth: config.validationDepth,
                                 data: data, control: control)
    return (student, result)
}

func trainRanker(_ r: any Ranker, triples: [ScoredTriple], training: PairwiseTrainingConfig, depth: Int,
                 data: DistillationData, control: RunControl) throws -> TrainingResult {
    let validate: ((any Ranker) throws -> Double)? = data.validation.candidates.results.isEmpty ? nil : { m in
        try RerankingEvaluation.ndcg10(m, data: data.validation, texts: data.texts, depth: depth)
    }
    return try trainPairwise(r, triples: triples, texts: data.texts, config: training,
                             checkpointDirectory: control.checkpointDirectory, validate: validate,
                             timeBudgetSeconds: control.timeBudgetSeconds, progress: control.progress,
                             progressEvery: control.progressEvery)
}
