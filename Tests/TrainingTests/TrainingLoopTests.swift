// The generic TrainingLoop used without any ranker: a least-squares regression (the compression paper's kind of
// loop) that learns, follows its schedule and resumes a killed run exactly; the stable hash; progress lines.
import Foundation
import PropertyTesting
import Tensors
import Testing
@testable import Training

struct SimulatedKill: Error {}

func temporaryDirectory(_ name: String) -> URL {
    let url = testScratchRoot.appendingPathComponent("training-tests-\(name)-\(UUID().uuidString)")
    try? FileManager.default.removeItem(at: url)
    return url
}

@Suite struct GenericLoopTests {
    /// Regress a linear map W [4,3] onto fixed targets with mean squared error, 20 steps, checkpoint every 5.
    func run(dir: URL?, killAt: Int? = nil, initSeed: UInt64 = 1) throws -> (TrainingResult, [Float]) {
        var rng = Xoshiro256(seed: initSeed)
        let w = Tensor.randomNormal([4, 3], rng: &rng, requiresGrad: true)
        var data = Xoshiro256(seed: 77)
        let x = Tensor.randomNormal([16, 4], rng: &data), target = Tensor.randomNormal([16, 3], rng: &data)
        let order = BatchOrder(count: 16, batchSize: 4, seed: 3)
        let cfg = TrainingLoopConfig(totalSteps: 20, learningRate: 0.05, warmupSteps: 2, checkpointEvery: 5)
        let loop = TrainingLoop(config: cfg, optimizer: AdamW([("w", w)], config: cfg.adam), checkpointDirectory: dir) { i in
            if i == killAt { throw SimulatedKill() }
            let idx = order.batch(i)
            let l = withGrad { () -> Tensor in
                let d = x.indexSelect(idx).matmul(w) - target.indexSelect(idx)
                return (d * d).mean()
            }
            l.backward()
            return StepStats(loss: Double(l.item))
        }
        var reports: [TrainingProgress] = []
        loop.progress = { reports.append($0) }
        loop.progressEvery = 5
        let r = try loop.run()
        if !r.resumed { #expect(reports.count == 4 && reports.last?.step == 20) }
        #expect(reports.allSatisfy { $0.line.hasPrefix("step ") && $0.line.contains("steps/s") && $0.line.contains("ETA") })
        return (r, w.scalars)
    }

    @Test func resumesExactlyAndLearns() throws {
        let (full, wFull) = try run(dir: nil)
        #expect(full.state.steps.last!.loss < full.state.steps.first!.loss)
        let dir = temporaryDirectory("generic")
        #expect(throws: SimulatedKill.self) { try run(dir: dir, killAt: 13) }
        let (resumed, wResumed) = try run(dir: dir, initSeed: 2)
        #expect(resumed.resumed)
        #expect(wResumed == wFull)
        #expect(resumed.state.steps.map(\.loss) == full.state.steps.map(\.loss))
    }

    @Test func scheduleFollowsTheConfig() {
        let c = TrainingLoopConfig(totalSteps: 10, learningRate: 1, warmupSteps: 4, linearDecay: true)
        let expected: [Float] = [0, 0.25, 0.5, 0.75, 1, 5 / 6, 4 / 6, 3 / 6, 2 / 6, 1 / 6]
        let rates: [Float] = (0..<10).map { c.schedule.rate(at: $0) }
        #expect(rates == expected)
    }

    @Test func configurationHashIsStable() {
        #expect(stableHash(Array("".utf8)) == "cbf29ce484222325")
        #expect(stableHash(Array("a".utf8)) == "af63dc4c8601ec8c")
        let a = TrainingLoopConfig(totalSteps: 5), b = TrainingLoopConfig(totalSteps: 6)
        #expect(configurationHash(a) == configurationHash(a) && configurationHash(a) != configurationHash(b))
    }
}

@Suite struct ProgressLineTests {
    /// With no wait between lines, every report is a line; with a long wait, only the final one; the ETA comes from
    /// the pace so far.
    @Test func linesAreThrottledAndTheLastOneAlwaysComes() {
        var lines: [String] = []
        let every = throttledFractionProgress("phase", every: 0) { lines.append($0) }
        for f in [0.25, 0.5, 1.0] { every(f) }
        #expect(lines.count == 3 && lines[0].hasPrefix("phase: 25% done, ETA ") && lines[2] == "phase: 100% done, ETA 0m0s")
        lines = []
        let rarely = throttledFractionProgress("phase", every: 3600) { lines.append($0) }
        for f in [0.1, 0.2, 0.9, 1.0] { rarely(f) }
        #expect(lines == ["phase: 100% done, ETA 0m0s"])
        lines = []
        let training = throttledTrainingProgress(every: 3600) { lines.append($0) }
        for step in [10, 20, 30] {
            training(TrainingProgress(step: step, totalSteps: 30, stepsPerSecond: 1, loss: 0.5, lastValidation: nil))
        }
        #expect(lines == ["step 30/30  1.00 steps/s  loss 0.5000  ETA 0m0s"])
    }

    /// A printer offered every step shows, on each line, the mean loss of all the steps since its last line (each
    /// report weighted by the steps it covers), not the loss of the last step alone.
    @Test func aPrintedLineShowsTheMeanLossSinceTheLastLine() {
        var lines: [String] = []
        let training = throttledTrainingProgress(every: 3600) { lines.append($0) }
        training(TrainingProgress(step: 10, totalSteps: 13, stepsPerSecond: 1, loss: 1.0))      // 10 steps at 1.0
        for (step, loss) in [(11, 4.0), (12, 4.0), (13, 4.0)] {
            training(TrainingProgress(step: step, totalSteps: 13, stepsPerSecond: 1, loss: loss))
        }
        #expect(lines == ["step 13/13  1.00 steps/s  loss 1.6923  ETA 0m0s"], "(10·1 + 3·4) / 13")
    }

    /// The estimate of the time left, and the speed shown, follow the average pace since the run began, not the last
    /// window's speed: a window slowed by a validation (0.01 steps/s) does not turn 3 minutes left into 5 hours.
    @Test func etaFollowsTheAveragePaceNotTheLastWindow() {
        let slowWindow = TrainingProgress(step: 200, totalSteps: 400, stepsPerSecond: 0.01, loss: 0.1,
                                          lastValidation: 0.6, averageSecondsPerStep: 0.9)
        #expect(slowWindow.secondsLeft == 180)
        #expect(slowWindow.line.hasSuffix("ETA 3m0s"), "\(slowWindow.line)")
        #expect(slowWindow.line.contains("  1.11 steps/s  "), "the speed shown is the same average: \(slowWindow.line)")
        let unknown = TrainingProgress(step: 200, totalSteps: 400, stepsPerSecond: 0.5, loss: 0.1)
        #expect(unknown.secondsLeft == 400)
    }

    /// The loop reports that average: over real steps it is positive and the estimate shrinks to 0 at the end.
    @Test func theLoopReportsItsAveragePace() throws {
        let w = Tensor(shape: [1], scalars: [1], requiresGrad: true)
        var reports: [TrainingProgress] = []
        let cfg = TrainingLoopConfig(totalSteps: 6, learningRate: 0.1, warmupSteps: 1, validateEvery: 3)
        let loop = TrainingLoop(config: cfg, optimizer: AdamW([("w", w)], config: cfg.adam), validate: { 0.5 }) { _ in
            let loss = withGrad { (w * w).sum() }
            loss.backward()
            return StepStats(loss: Double(loss.item))
        }
        loop.progressEvery = 2
        loop.progress = { reports.append($0) }
        try loop.run()
        #expect(reports.map(\.step) == [2, 4, 6])
        #expect(reports.allSatisfy { ($0.averageSecondsPerStep ?? -1) >= 0 })
        #expect(reports.last?.secondsLeft == 0)
    }
}
