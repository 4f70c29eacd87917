// Embedding distillation (Reimers & Gurevych 2020; digest §3.1): the student's sentence embedding regresses the
// teacher's (or its PCA projection W·t) with sentence-transformers' `MSELoss`, the mean over batch AND dimensions:
//     L = 1/(B·k) Σ_b Σ_j (ŝ_bj − t_bj)²
// trained with AdamW (lr 1e-4, eps 1e-6, weight decay 0.01, gradient norm clipped at 1) and linear warm-up/decay.
// The loop here is deliberately minimal (shuffle, batch, step); the MarginMSE module's generic TrainingLoop
// (checkpoints, resume, progress) had not landed when this was written — see Docs/Compression.md.
//
// Letters: n texts, B batch, k embedding size.

import Tensors
import Student

public enum EmbeddingMSE {
    /// 1/(B·k) Σ (student − target)², a scalar tensor; `student` and `target` are [B,k].
    public static func loss(student: Tensor, target: Tensor) -> Tensor {
        precondition(student.shape == target.shape, "EmbeddingMSE: \(student.shape) vs \(target.shape)")
        return Tensor.mseLoss(student, target)
    }
}

/// What one distillation run did.
public struct DistillationLog: Codable, Sendable, Equatable {
    /// Loss of every update, in order.
    public var losses: [Float]
    public var updates: Int { losses.count }
}

public enum EmbeddingDistiller {
    /// The number of updates `settings` asks for with n texts.
    public static func updateCount(texts n: Int, settings s: DistillationSettings) -> Int {
        let perEpoch = (n + s.batchSize - 1) / s.batchSize
        let total = perEpoch * s.epochs
        return min(total, s.maxSteps ?? total)
    }

    /// Trains `student` in place so that student(inputs[i]) ≈ targets[i].
    /// - inputs: the student's `[CLS] … [SEP]` ids per text (n sequences).
    /// - targets: [n,k] teacher embeddings (PCA-projected when k < d).
    /// - progress: called after every update with (update index, loss).
    @discardableResult
    public static func train(_ student: SentenceEncoder, inputs: [[Int]], targets: Tensor,
                             settings s: DistillationSettings,
                             progress: ((Int, Float) -> Void)? = nil) -> DistillationLog {
        let n = inputs.count, k = student.dimension
        precondition(targets.shape == [n, k], "targets \(targets.shape) ≠ [\(n), \(k)]")
        precondition(s.batchSize >= 1, "batch size must be ≥ 1")
        guard n > 0 else { return DistillationLog(losses: []) }
        let total = updateCount(texts: n, settings: s)
        let warmup = Int((Double(total) * s.warmupFraction).rounded())
        let schedule = LearningRateSchedule.linearWarmupDecay(peak: s.learningRate, warmupSteps: warmup, totalSteps: total)
        let optimizer = AdamW(student.parameters, config: AdamConfig(eps: s.adamEps, weightDecay: s.weightDecay,
                                                                    maxGradNorm: s.maxGradNorm))
        var rng = Xoshiro256(seed: s.seed)
        student.encoder.dropout.p = s.dropout
        student.encoder.dropout.training = true
        defer { student.encoder.dropout.training = false }
        var losses: [Float] = []
        losses.reserveCapacity(total)
        var order: [Int] = []
        var cursor = 0
        let tp = targets.pointer
        for update in 0..<total {
            if cursor >= order.count {   // a new epoch: a fresh permutation (Fisher–Yates)
                order = Array(0..<n)
                for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, rng.nextInt(below: i + 1)) }
                cursor = 0
            }
            let batch = Array(order[cursor..<min(cursor + s.batchSize, n)])
            cursor += batch.count
            let target = Tensor(zeros: [batch.count, k])                                    // [B,k]
            for (r, i) in batch.enumerated() { (target.pointer + r * k).update(from: tp + i * k, count: k) }
            optimizer.zeroGrad()
            let loss = EmbeddingMSE.loss(student: student(EncoderInput(sequences: batch.map { inputs[$0] })),
                                         target: target)
            loss.backward()
            optimizer.step(learningRate: schedule.rate(at: update))
            losses.append(loss.item)
            progress?(update, loss.item)
        }
        return DistillationLog(losses: losses)
    }
}
