// Distillation losses on rows, and the reduction every loss of the package takes: the embedding MSE of
// sentence-transformers distillation (the compression paper's student regresses the teacher's embeddings) and a
// listwise KL divergence over a candidate list (kept for later list-based distillation; no table of either paper
// uses it yet). The pairwise losses of Margin-MSE (MarginMSE/Losses.swift) use `Reduction` too.
//
// Letters: B rows (texts or queries), E embedding size, L list length.

/// How per-sample losses [B] are combined (PyTorch's `reduction`).
public enum Reduction: String, Sendable, Codable, CaseIterable {
    /// Mean over the batch: a scalar [] (the papers' choice everywhere).
    case mean
    /// Sum over the batch: a scalar [].
    case sum
    /// No reduction: the per-sample losses [B].
    case none
}

extension Tensor {
    /// Applies a reduction to per-sample losses [B].
    public func reduced(_ r: Reduction) -> Tensor {
        switch r {
        case .mean: return mean()
        case .sum: return sum()
        case .none: return self
        }
    }
}

/// **Embedding MSE** (sentence-transformers `losses.MSELoss`, i.e. `torch.nn.MSELoss()` on embeddings):
///
///     per row b:  ℓ_b = (1/E) Σ_e (x_{b,e} − y_{b,e})²        .mean → (1/B) Σ_b ℓ_b = mean over all B·E elements
///
/// `student` [B,E] is differentiated, `teacher` [B,E] is a constant. Worked example: x = [[1, 2], [0, 0]],
/// y = [[1, 0], [1, 1]]: rows [(0 + 4)/2, (1 + 1)/2] = [2, 1] → mean 1.5 (= torch MSELoss), sum 3.
public func embeddingMSELoss(student: Tensor, teacher: Tensor, reduction: Reduction = .mean) -> Tensor {
    precondition(student.rank == 2 && student.shape == teacher.shape,
                 "embeddingMSELoss needs student and teacher [B,E] of one shape, got \(student.shape) and \(teacher.shape)")
    let target = withNoGrad { teacher.detached() }
    return (student - target).square().mean(axis: 1).reduced(reduction)          // [B] → reduced
}

/// **Listwise KL** of the student's list distribution from the teacher's, at temperature τ:
///
///     p = softmax(t_b / τ),  q = softmax(s_b / τ),   ℓ_b = KL(p ‖ q) = Σ_l p_l (log p_l − log q_l)
///
/// `.mean` is torch's `batchmean` (sum over the list, mean over rows). Zero iff the lists agree up to a per-row
/// constant. Worked example: s = [[0, 0]], t = [[log 3, 0]], τ = 1: p = [3/4, 1/4], q = [1/2, 1/2],
/// KL = 3/4·log(3/2) + 1/4·log(1/2) = 0.130812.
public func listwiseKLLoss(student: Tensor, teacher: Tensor, temperature: Float = 1,
                           reduction: Reduction = .mean) -> Tensor {
    precondition(student.rank == 2 && student.shape == teacher.shape,
                 "listwiseKLLoss needs student and teacher [B,L] of one shape, got \(student.shape) and \(teacher.shape)")
    precondition(temperature > 0, "listwiseKLLoss needs a positive temperature")
    let (logP, p) = withNoGrad { () -> (Tensor, Tensor) in
        let lp = teacher.detached().scaled(by: 1 / temperature).logSoftmax()
        return (lp, lp.exp())
    }
    let logQ = student.scaled(by: 1 / temperature).logSoftmax()                  // [B,L]
    return (p * (logP - logQ)).sum(axis: 1).reduced(reduction)                    // [B] → reduced
}
