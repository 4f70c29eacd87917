// The distillation and ranking losses of Margin-MSE §2.2–2.3, as free functions with a reduction argument, each
// equal to its matchmaker / PyTorch reference. (`Reduction`, embedding MSE and listwise KL live in Tensors:
// `Ops+EmbeddingLoss.swift`, since the compression paper uses them too.)
//
// Notation: B triples in a batch; s⁺, s⁻ the student's scores [B] of ⟨q,p⁺⟩ and ⟨q,p⁻⟩; t⁺, t⁻ the teacher's [B]
// (constants: never differentiated). σ the logistic function; softplus(x) = log(1 + eˣ), so that binary
// cross-entropy with logits against target 1 is BCE(x, 1) = −log σ(x) = softplus(−x).
// Every loss first computes one value per sample ([B]) and then applies the `Reduction`.
// Left out: KLDivTeacherPointwise (the digest says probably unused) and the inter-passage Margin-MSE extension.

import Tensors

func checkPairs(_ name: String, _ tensors: Tensor...) {
    let shape = tensors[0].shape
    precondition(shape.count == 1, "\(name): scores must be rank 1 [B], got \(shape)")
    for t in tensors { precondition(t.shape == shape, "\(name): score shapes differ: \(tensors.map(\.shape))") }
}

/// **Margin-MSE** (the paper's loss, §2.2):
///
///     L = mean_b ((s⁺_b − s⁻_b) − (t⁺_b − t⁻_b))²
///
/// The student matches the teacher's *margin*, not its scores, so a constant added to both student scores (or to
/// both teacher scores) changes nothing: architectures whose scores live on different scales can learn from the
/// same teacher. Equal to matchmaker's `MSMarginLoss` (`torch.mean(torch.pow(...,2))`).
///
/// Worked example (checked by a test): s⁺ = [3, 1], s⁻ = [1, 2], t⁺ = [10, 0], t⁻ = [7, 1].
/// Student margins [2, −1], teacher margins [3, −1], squared differences [1, 0] → mean 0.5, sum 1, none [1, 0].
/// Gradient: ∂L/∂s⁺_b = 2Δ_b/B = −∂L/∂s⁻_b with Δ = student margin − teacher margin.
public func marginMSELoss(studentPositive sp: Tensor, studentNegative sn: Tensor,
                          teacherPositive tp: Tensor, teacherNegative tn: Tensor,
                          reduction: Reduction = .mean) -> Tensor {
    checkPairs("marginMSELoss", sp, sn, tp, tn)
    let teacherMargin = withNoGrad { tp.detached() - tn.detached() }          // [B]
    return ((sp - sn) - teacherMargin).square().reduced(reduction)
}

/// **RankNet** (no distillation; the baseline and the teacher-training loss, §2.1):
///
///     L = mean_b BCE(s⁺_b − s⁻_b, 1) = mean_b log(1 + exp(−(s⁺_b − s⁻_b)))
///
/// matchmaker's `RankNetLoss` with label ones(B). Worked example: s⁺ = [2, 0], s⁻ = [0, 0]:
/// per sample [log(1 + e⁻²), log 2] = [0.126928, 0.693147] → mean 0.410038.
public func rankNetLoss(positive sp: Tensor, negative sn: Tensor, reduction: Reduction = .mean) -> Tensor {
    checkPairs("rankNetLoss", sp, sn)
    return (sn - sp).softplus().reduced(reduction)
}

/// **Pointwise MSE** against the teacher's raw scores (matchmaker `MSETeacherPointwise`):
///
///     L = ( mean_b (s⁺_b − t⁺_b)² + mean_b (s⁻_b − t⁻_b)² ) / 2,   per sample ((s⁺−t⁺)² + (s⁻−t⁻)²)/2
///
/// The student must reproduce the teacher's scale. Worked example: s⁺ = [1], s⁻ = [0], t⁺ = [3], t⁻ = [1]:
/// ((−2)² + (−1)²)/2 = 2.5.
public func pointwiseMSELoss(studentPositive sp: Tensor, studentNegative sn: Tensor,
                             teacherPositive tp: Tensor, teacherNegative tn: Tensor,
                             reduction: Reduction = .mean) -> Tensor {
    checkPairs("pointwiseMSELoss", sp, sn, tp, tn)
    let (cp, cn) = withNoGrad { (tp.detached(), tn.detached()) }
    return ((sp - cp).square() + (sn - cn).square()).scaled(by: 0.5).reduced(reduction)
}

/// **Weighted RankNet** (matchmaker `RankNetTeacher`): RankNet with per-sample weight w = t⁺ − t⁻,
///
///     L = mean_b w_b · log(1 + exp(−(s⁺_b − s⁻_b)))
///
/// (torch `BCEWithLogitsLoss(weight=w)`). A negative teacher margin gives a negative weight, which pushes the student
/// to rank p⁻ above p⁺ — as the reference does. Worked example: s⁺ = [2, 0], s⁻ = [0, 0], t⁺ = [3, 1], t⁻ = [1, 2]:
/// w = [2, −1] → [0.253856, −0.693147] → mean −0.219646.
public func weightedRankNetLoss(studentPositive sp: Tensor, studentNegative sn: Tensor,
                                teacherPositive tp: Tensor, teacherNegative tn: Tensor,
                                reduction: Reduction = .mean) -> Tensor {
    checkPairs("weightedRankNetLoss", sp, sn, tp, tn)
    let w = withNoGrad { tp.detached() - tn.detached() }                       // [B]
    return ((sn - sp).softplus() * w).reduced(reduction)
}

/// **MSE + RankNet** (matchmaker `MSERanknetTeacher`): pointwise MSE plus the hard-label RankNet,
///
///     L = pointwiseMSE(s, t) + RankNet(s)      (per sample, then reduced)
///
/// Worked example: s⁺ = [1], s⁻ = [0], t⁺ = [3], t⁻ = [1]: 2.5 + log(1 + e⁻¹) = 2.5 + 0.313262 = 2.813262.
public func mseRankNetLoss(studentPositive sp: Tensor, studentNegative sn: Tensor,
                           teacherPositive tp: Tensor, teacherNegative tn: Tensor,
                           reduction: Reduction = .mean) -> Tensor {
    let mse = pointwiseMSELoss(studentPositive: sp, studentNegative: sn, teacherPositive: tp, teacherNegative: tn,
                               reduction: .none)                                 // [B]
    return (mse + rankNetLoss(positive: sp, negative: sn, reduction: .none)).reduced(reduction)
}
