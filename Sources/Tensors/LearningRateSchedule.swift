// Learning-rate schedules, as functions of the update index (0 for the first update), matching Hugging Face's
// `get_constant_schedule` and `get_linear_schedule_with_warmup` (which the matchmaker and sentence-transformers
// trainers use):
//   constant:              η(s) = η₀
//   linear warm-up/decay:  η(s) = η₀ · s / w                       for s < w
//                          η(s) = η₀ · max(0, (T − s) / (T − w))    for s ≥ w
// With w > 0 the first update therefore has rate 0, exactly as in HF.

public enum LearningRateSchedule: Sendable, Equatable {
    case constant(Float)
    case linearWarmupDecay(peak: Float, warmupSteps: Int, totalSteps: Int)
    /// Linear warm-up to `peak`, then constant.
    case linearWarmup(peak: Float, warmupSteps: Int)

    /// The learning rate for update `step` (0-based).
    public func rate(at step: Int) -> Float {
        switch self {
        case .constant(let lr):
            return lr
        case let .linearWarmup(peak, w):
            return step < w ? peak * Float(step) / Float(w) : peak
        case let .linearWarmupDecay(peak, w, total):
            if step < w { return peak * Float(step) / Float(w) }
            return peak * max(0, Float(total - step) / Float(max(1, total - w)))
        }
    }
}
