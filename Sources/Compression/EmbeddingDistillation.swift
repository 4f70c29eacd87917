// Embedding distillation (Reimers & Gurevych 2020; digest §3.1): the student's sentence embedding regresses the
// teacher's (or its PCA projection W·t) with sentence-transformers' `MSELoss`, the mean over batch AND dimensions:
//     L = 1/(B·k) Σ_b Σ_j (ŝ_bj − t_bj)²        (Tensors' embeddingMSELoss, reduction .mean)
// trained with AdamW (lr 1e-4, eps 1e-6, weight decay 0.01, gradient norm clipped at 1) and linear warm-up/decay,
// by the Training module's TrainingLoop (checkpoints, resume, progress, time budget). Batches come from
// `BatchOrder` (a seeded permutation per epoch, last partial batch dropped); dropout is reseeded from the step index,
// so a resumed run is bit-identical to an uninterrupted one.
//
// Letters: n texts, B batch, k embedding size.

import Foundation
import Tensors
import Student
import Training

public enum EmbeddingMSE {
    /// 1/(B·k) Σ (student − target)², a scalar tensor; `student` and `target` are [B,k].
    public static func loss(student: Tensor, target: Tensor) -> Tensor {
        embeddingMSELoss(student: student, teacher: target, reduction: .mean)
    }
}

/// What one distillation run did.
public struct DistillationLog: Codable, Sendable, Equatable {
    /// Loss of every update, in order.
    public var losses: [Float]
    public var updates: Int { losses.count }
    /// Whether the run stopped at its time budget (it can be resumed from its checkpoint directory).
    public var outOfTime = false
}

public enum EmbeddingDistiller {
    /// The number of updates `settings` asks for with n texts (BatchOrder: ⌊n/B⌋ batches per epoch, at least 1).
    public static func updateCount(texts n: Int, settings s: DistillationSettings) -> Int {
        let total = max(1, n / s.batchSize) * s.epochs
        return min(total, s.maxSteps ?? total)
    }

    /// The TrainingLoop settings for `settings` with n texts.
    public static func loopConfig(texts n: Int, settings s: DistillationSettings) -> TrainingLoopConfig {
        let total = updateCount(texts: n, settings: s)
        return TrainingLoopConfig(totalSteps: total, learningRate: s.learningRate,
                                  warmupSteps: Int((Double(total) * s.warmupFraction).rounded()), linearDecay: true,
                                  adam: AdamConfig(eps: s.adamEps, weightDecay: s.weightDecay, maxGradNorm: s.maxGradNorm),
                                  seed: s.seed)
    }

    /// Trains `student` in place so that student(inputs[i]) ≈ targets[i].
    /// - inputs: the student's `[CLS] … [SEP]` ids per text (n sequences).
    /// - targets: [n,k] teacher embeddings (PCA-projected when k < d).
    /// - checkpointDirectory: where TrainingLoop keeps its resumable checkpoint (nil: none).
    /// - timeBudgetSeconds: stop (resumably) after this long.
    /// - progress: TrainingLoop's progress reports.
    @discardableResult
    public static func train(_ student: SentenceEncoder, inputs: [[Int]], targets: Tensor,
                             settings s: DistillationSettings, checkpointDirectory: URL? = nil,
                             timeBudgetSeconds: Double? = nil,
                             progress: ((TrainingProgress) -> Void)? = nil) throws -> DistillationLog {
        let n = inputs.count, k = student.dimension
        precondition(targets.shape == [n, k], "targets \(targets.shape) ≠ [\(n), \(k)]")
        precondition(s.batchSize >= 1, "batch size must be ≥ 1")
        guard n > 0 else { return DistillationLog(losses: []) }
        let config = loopConfig(texts: n, settings: s)
        let order = BatchOrder(count: n, batchSize: s.batchSize, seed: s.seed)
        let optimizer = AdamW(student.parameters, config: config.adam)
        let dropout = student.encoder.dropout
        dropout.p = s.dropout
        dropout.training = true
        defer { dropout.training = false }
        let tp = targets.pointer
        let loop = TrainingLoop(config: config, optimizer: optimizer, checkpointDirectory: checkpointDirectory) { index in
            let batch = order.batch(index)
            dropout.reseed(TrainingLoop.stepSeed(s.seed, index))
            let target = Tensor(zeros: [batch.count, k])                                      // [B,k]
            for (r, i) in batch.enumerated() { (target.pointer + r * k).update(from: tp + i * k, count: k) }
            let loss = EmbeddingMSE.loss(student: student(batch.map { inputs[$0] }, grouping: LengthGrouping()),
                                         target: target)
            loss.backward()
            return StepStats(loss: Double(loss.item))
        }
        loop.progress = progress
        loop.timeBudgetSeconds = timeBudgetSeconds
        loop.runIdentity = "embedding-distillation n=\(n) k=\(k)"
        let result = try loop.run()
        return DistillationLog(losses: result.state.steps.map { Float($0.loss) }, outOfTime: result.outOfTime)
    }
}
