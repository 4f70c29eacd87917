// Generic losses on scores (the distillation losses of the papers live in the MarginMSE module and compose these).
//   mseLoss(p, t)          = mean((p − t)²)                                dp = 2(p − t)/n
//   crossEntropyLoss(z, y) = −mean_b log softmax(z_b)[y_b]   z [B,C]      dz_b = (softmax(z_b) − onehot(y_b))/B
// Both return a scalar tensor (shape []).

extension Tensor {
    /// Mean squared error between same-shaped tensors.
    public static func mseLoss(_ prediction: Tensor, _ target: Tensor) -> Tensor {
        precondition(prediction.shape == target.shape,
                     "mseLoss shapes differ: \(prediction.shape) vs \(target.shape)")
        return (prediction - target).square().mean()
    }

    /// Cross-entropy of logits [B,C] against class indices `targets` [B] (mean over the batch).
    public static func crossEntropyLoss(_ logits: Tensor, targets: [Int]) -> Tensor {
        precondition(logits.rank == 2 && logits.shape[0] == targets.count,
                     "crossEntropyLoss needs logits [B,C] with B = \(targets.count) targets, got \(logits.shape)")
        let c = logits.shape[1]
        let onehot = Tensor(zeros: logits.shape)
        for (b, t) in targets.enumerated() {
            precondition(t >= 0 && t < c, "target \(t) out of range 0..<\(c)")
            onehot.pointer[b * c + t] = 1
        }
        return -(logits.logSoftmax() * onehot).sum().scaled(by: 1 / Float(Swift.max(targets.count, 1)))
    }
}
