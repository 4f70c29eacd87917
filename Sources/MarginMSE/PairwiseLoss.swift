// The pairwise losses by name, so that a training run, the command line (`--loss NAME`) and the experiment grid
// (Table D) can pick one. Each name is matchmaker's `loss:` value where one exists.

import Tensors

/// A pairwise training loss over a batch of triples.
public enum PairwiseLoss: String, Sendable, Codable, CaseIterable {
    /// RankNet on the student's margin (no teacher): the no-KD baseline and teacher training.
    case rankNet = "ranknet"
    /// Margin-MSE against the teacher's margin (the paper's loss).
    case marginMSE = "margin-mse"
    /// Pointwise MSE against the teacher's raw scores.
    case pointwiseMSE = "pointwise-mse"
    /// RankNet weighted by the teacher's margin.
    case weightedRankNet = "weighted-ranknet"
    /// Pointwise MSE plus RankNet.
    case mseRankNet = "mse-ranknet"

    /// Whether the loss needs teacher scores.
    public var needsTeacher: Bool { self != .rankNet }

    /// The loss of student scores `sp`, `sn` [B] against teacher scores `tp`, `tn` [B] (ignored by RankNet).
    public func callAsFunction(studentPositive sp: Tensor, studentNegative sn: Tensor,
                               teacherPositive tp: Tensor?, teacherNegative tn: Tensor?,
                               reduction: Reduction = .mean) -> Tensor {
        if self == .rankNet { return rankNetLoss(positive: sp, negative: sn, reduction: reduction) }
        guard let tp, let tn else { preconditionFailure("loss \(rawValue) needs teacher scores") }
        switch self {
        case .rankNet: fatalError("unreachable")
        case .marginMSE:
            return marginMSELoss(studentPositive: sp, studentNegative: sn, teacherPositive: tp, teacherNegative: tn,
                                 reduction: reduction)
        case .pointwiseMSE:
            return pointwiseMSELoss(studentPositive: sp, studentNegative: sn, teacherPositive: tp,
                                    teacherNegative: tn, reduction: reduction)
        case .weightedRankNet:
            return weightedRankNetLoss(studentPositive: sp, studentNegative: sn, teacherPositive: tp,
                                       teacherNegative: tn, reduction: reduction)
        case .mseRankNet:
            return mseRankNetLoss(studentPositive: sp, studentNegative: sn, teacherPositive: tp, teacherNegative: tn,
                                  reduction: reduction)
        }
    }
}
