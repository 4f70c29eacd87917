// The whole compression pipeline for one student (Chaulwar et al. 2022 §4, both extensions on top of the
// sentence-transformers procedure of §3):
//   1. teacher embeddings of the distillation texts (computed once, cached);
//   2. k < d: PCA on (at most `pcaSampleLimit` of) them; targets = W·t, uncentred (PCA `denseLayer(centered: false)`);
//   3. vocabulary: the teacher's, or WordPiece of size V trained on the same texts (extension 1);
//   4. student initialised from the teacher (StudentInitialisation);
//   5. MSE distillation (EmbeddingDistiller), the student reading each text with its own tokenizer, cut to its
//      token size (52 or 90).
// Leaves out: validation-based model selection (sentence-transformers' save_best_model); the run uses the last step.

import Foundation
import Tensors
import Student
import Vocab
import PCA
import Training

/// The texts a student learns from. Never the test queries.
public struct DistillationTexts: Sendable {
    /// Texts the student regresses the teacher on (and the vocabulary is trained on).
    public var training: [String]
    /// Texts PCA is fitted on (nil: the first `pcaSampleLimit` training texts).
    public var pca: [String]?

    public init(training: [String], pca: [String]? = nil) { self.training = training; self.pca = pca }
}

/// Hooks a caller may pass (progress lines, caches, checkpoints, a time budget).
public struct DistillationOptions: @unchecked Sendable {
    /// Where teacher embeddings are cached (nil: not cached).
    public var cacheDirectory: URL?
    /// Where the training loop keeps a resumable checkpoint (nil: none).
    public var checkpointDirectory: URL?
    /// Stop training (resumably, with a checkpoint directory) after this many seconds.
    public var timeBudgetSeconds: Double?
    public var log: ((String) -> Void)?
    public var progress: ((TrainingProgress) -> Void)?

    public init(cacheDirectory: URL? = nil, checkpointDirectory: URL? = nil, timeBudgetSeconds: Double? = nil,
                log: ((String) -> Void)? = nil, progress: ((TrainingProgress) -> Void)? = nil) {
        self.cacheDirectory = cacheDirectory; self.checkpointDirectory = checkpointDirectory
        self.timeBudgetSeconds = timeBudgetSeconds; self.log = log; self.progress = progress
    }
}

/// A student and the record of how it was trained.
public struct DistillationResult: @unchecked Sendable {
    public let student: DistilledStudent
    public let log: DistillationLog
    /// The student's targets' share of the teacher's variance kept by the first k PCA components (1 at k = d).
    public let explainedVariance: Double
}

/// Builds and distils the student `config` describes. See the file comment for the steps.
public func distillStudent(_ config: DistillConfig, teacher: Teacher, texts: DistillationTexts,
                           options: DistillationOptions = DistillationOptions()) throws -> DistillationResult {
    let s = config.settings
    let log = options.log ?? { _ in }
    guard !texts.training.isEmpty else { throw StudentInitialisationError(description: "no distillation texts") }
    guard config.tokenSize >= 2 else { throw StudentInitialisationError(description: "token size must be ≥ 2") }
    let d = teacher.model.dimension, k = config.shape.hidden
    guard teacher.model.dense.isEmpty, d == teacher.model.encoder.hiddenSize else {
        throw StudentInitialisationError(description: "the teacher must be transformer + pooling (no Dense head)")
    }

    log("teacher embeddings of \(texts.training.count) texts")
    let teacherRows = try TeacherEmbeddingCache.embeddings(teacher: teacher, texts: texts.training,
                                                          maxLength: s.teacherMaxLength, directory: options.cacheDirectory,
                                                          progress: throttledFractionProgress("teacher embeddings", log)) // [n,d]
    var targets = teacherRows
    var pca: PCAModel? = nil
    var explained = 1.0
    if k < d {
        let pcaRows: Tensor
        if let p = texts.pca {
            pcaRows = try TeacherEmbeddingCache.embeddings(teacher: teacher, texts: Array(p.prefix(s.pcaSampleLimit)),
                                                           maxLength: s.teacherMaxLength, directory: options.cacheDirectory,
                                                           progress: throttledFractionProgress("teacher embeddings (PCA sample)", log))
        } else {
            let m = min(s.pcaSampleLimit, teacherRows.shape[0])
            pcaRows = Tensor(shape: [m, d], scalars: Array(teacherRows.scalars[0..<(m * d)]))
        }
        log("PCA \(d) → \(k) on \(pcaRows.shape[0]) teacher embeddings")
        let model = try PCAModel.fit(pcaRows, selection: .count(k))
        explained = model.cumulativeExplainedVarianceRatio.last ?? 0
        targets = withNoGrad { model.denseLayer(k: k, centered: false)(teacherRows) }                  // [n,k] = t·Wᵀ
        pca = model
    }

    let vocabulary: Vocabulary?
    switch config.shape.vocabulary {
    case .teacher: vocabulary = nil
    case .trained(let size):
        log("WordPiece vocabulary of \(size) tokens")
        vocabulary = try WordPieceTrainer.train(texts: texts.training, config: WordPieceTrainerConfig(
            vocabSize: size, minFrequency: UInt64(s.vocabMinFrequency)))
    }
    let tokenizer = try vocabulary.map { try BertTokenizer(vocabulary: $0) } ?? teacher.tokenizer
    let encoder = try StudentInitialisation.build(
        teacher: teacher.model.encoder, teacherTokenizer: teacher.tokenizer, vocabulary: vocabulary,
        shape: config.shape, projection: pca.map { $0.componentsTensor(k: k) }, dropout: s.dropout, seed: s.seed,
        projectedLayers: s.projectedTeacherLayers)
    if k < d && s.outputNormFromTargets, let norm = encoder.layers.last?.outputNorm {
        let (mean, std) = columnMeanAndStd(targets)
        norm.gamma.pointer.update(from: std, count: k)
        norm.beta.pointer.update(from: mean, count: k)
    }
    let model = SentenceEncoder(encoder: encoder, pooling: .mean, dense: [], normalize: false,
                                maxSeqLength: config.tokenSize)
    let student = DistilledStudent(model: model, tokenizer: tokenizer, config: config, pca: pca)
    let inputs = texts.training.map(student.inputIDs)
    log("distilling: \(EmbeddingDistiller.updateCount(texts: inputs.count, settings: s)) updates of \(s.batchSize)")
    let history = try EmbeddingDistiller.train(model, inputs: inputs, targets: targets, settings: s,
                                               checkpointDirectory: options.checkpointDirectory,
                                               timeBudgetSeconds: options.timeBudgetSeconds,
                                               progress: options.progress)
    return DistillationResult(student: student, log: history, explainedVariance: explained)
}

/// Per-column mean and standard deviation of x [n,k].
func columnMeanAndStd(_ x: Tensor) -> (mean: [Float], std: [Float]) {
    let n = x.shape[0], k = x.shape[1], p = x.pointer
    var m = [Double](repeating: 0, count: k), v = [Double](repeating: 0, count: k)
    for i in 0..<n { for j in 0..<k { m[j] += Double(p[i * k + j]) } }
    for j in 0..<k { m[j] /= Double(max(n, 1)) }
    for i in 0..<n { for j in 0..<k { let e = Double(p[i * k + j]) - m[j]; v[j] += e * e } }
    return (m.map(Float.init), v.map { Float(($0 / Double(max(n, 1))).squareRoot()) })
}
