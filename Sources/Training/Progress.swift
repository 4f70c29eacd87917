// Progress lines for long runs that read well in a terminal and in a log file alike: at most one line every
// `interval` seconds (30 by default) and one at the end, each with an estimate of the time left.

import Foundation

/// A training run's progress as `TrainingProgress.line` (step, speed, loss, last validation, ETA), passed to `report`
/// at most every `interval` seconds and at the last step.
public func throttledTrainingProgress(every interval: Double = 30,
                                      _ report: @escaping (String) -> Void) -> (TrainingProgress) -> Void {
    var last = Date()
    var lossSum = 0.0, lossSteps = 0, lastStep = 0
    return { p in
        // The loss shown is the mean over every step since the last printed line, not only the last report's.
        let steps = max(1, p.step - lastStep)
        lastStep = p.step
        lossSum += p.loss * Double(steps); lossSteps += steps
        let now = Date()
        guard p.step == p.totalSteps || now.timeIntervalSince(last) >= interval else { return }
        last = now
        var shown = p
        shown.loss = lossSum / Double(lossSteps)
        lossSum = 0; lossSteps = 0
        report(shown.line)
    }
}

/// A phase measured as a fraction done (0…1): "`what`: 42% done, ETA 3m10s", at most every `interval` seconds and
/// when it reaches 1. The estimate assumes the rest goes at the average pace so far.
public func throttledFractionProgress(_ what: String, every interval: Double = 30,
                                      _ report: @escaping (String) -> Void) -> (Double) -> Void {
    let start = Date()
    var last = start
    return { fraction in
        let now = Date()
        guard fraction >= 1 || now.timeIntervalSince(last) >= interval else { return }
        last = now
        let elapsed = now.timeIntervalSince(start)
        let left = fraction > 0 ? Int((elapsed * (1 - fraction) / fraction).rounded()) : 0
        let eta = left >= 3600 ? "\(left / 3600)h\(left % 3600 / 60)m" : "\(left / 60)m\(left % 60)s"
        report("\(what): \(Int((min(fraction, 1) * 100).rounded(.down)))% done, ETA \(eta)")
    }
}
