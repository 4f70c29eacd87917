// The generic training loop: any model, any loss. The caller supplies a `step(index)` closure that runs forward and
// backward for batch `index` and returns its loss; the loop owns everything around it — the AdamW update with a
// warm-up schedule, validation every N steps with early stopping and best-parameter keeping, atomic checkpoints with
// the optimiser state, resume after a kill, per-step logs and a progress line. Used by the pairwise ranker trainer
// (`PairwiseTrainer.swift`, Margin-MSE §2.1 steps 1 and 3) and by the embedding distillation of the compression paper.
//
// Determinism contract: the loop's only state that changes from step to step is saved in checkpoints (step count,
// optimiser, best score, logs). A `step` closure that derives its batch and its random draws from the step index
// alone (see `BatchOrder` and `TrainingLoop.stepSeed`) therefore makes a resumed run bit-identical to an
// uninterrupted one. The optional wall-clock budget is the one knob that is not deterministic.
// Left out: gradient accumulation, mixed precision, ReduceLROnPlateau (the older matchmaker schedule).

import Foundation
import Tensors

/// What one step reports: its loss and any further numbers to log (e.g. average positive / negative scores).
public struct StepStats: Sendable {
    public var loss: Double
    public var metrics: [String: Double]
    public init(loss: Double, metrics: [String: Double] = [:]) { self.loss = loss; self.metrics = metrics }
}

/// The loop's settings (Codable, so that a run can be cached and a checkpoint matched to its configuration).
public struct TrainingLoopConfig: Codable, Equatable, Sendable {
    /// Steps (optimiser updates) in all.
    public var totalSteps: Int
    public var learningRate: Float
    /// Linear warm-up from 0 over this many steps.
    public var warmupSteps: Int
    /// After warm-up: decay linearly to 0 at `totalSteps` (true) or stay constant (false).
    public var linearDecay: Bool
    public var adam: AdamConfig
    /// Validate every this many steps (0: never; validation also runs after the last step when > 0).
    public var validateEvery: Int
    /// Stop after this many validations without improvement (0: never stop early).
    public var patience: Int
    /// Write the `latest` checkpoint every this many steps (0: only at the end); needs a checkpoint directory.
    public var checkpointEvery: Int
    /// Seed for the per-step random streams (`stepSeed`).
    public var seed: UInt64

    public init(totalSteps: Int, learningRate: Float = 7e-6, warmupSteps: Int = 0, linearDecay: Bool = false,
                adam: AdamConfig = AdamConfig(weightDecay: 0), validateEvery: Int = 0, patience: Int = 0,
                checkpointEvery: Int = 0, seed: UInt64 = 208_973_249) {
        self.totalSteps = totalSteps; self.learningRate = learningRate; self.warmupSteps = warmupSteps
        self.linearDecay = linearDecay; self.adam = adam; self.validateEvery = validateEvery
        self.patience = patience; self.checkpointEvery = checkpointEvery; self.seed = seed
    }

    /// The learning-rate schedule these settings describe.
    public var schedule: LearningRateSchedule {
        linearDecay ? .linearWarmupDecay(peak: learningRate, warmupSteps: warmupSteps, totalSteps: totalSteps)
                    : .linearWarmup(peak: learningRate, warmupSteps: warmupSteps)
    }
}

/// Where a run is, for a progress line.
public struct TrainingProgress: Sendable {
    public var step: Int, totalSteps: Int
    public var stepsPerSecond: Double
    /// Mean loss over the steps since the last report.
    public var loss: Double
    public var lastValidation: Double?
    /// Seconds per step since this run (or resume) began, validations and checkpoints included; nil: unknown.
    public var averageSecondsPerStep: Double?
    /// The time left at the average pace since the run began (so a validation in the last window does not swing the
    /// estimate), or at the last window's speed when no average is known.
    public var secondsLeft: Double {
        if let average = averageSecondsPerStep { return Double(totalSteps - step) * average }
        return stepsPerSecond > 0 ? Double(totalSteps - step) / stepsPerSecond : 0
    }

    public init(step: Int, totalSteps: Int, stepsPerSecond: Double, loss: Double, lastValidation: Double? = nil,
                averageSecondsPerStep: Double? = nil) {
        self.step = step; self.totalSteps = totalSteps; self.stepsPerSecond = stepsPerSecond; self.loss = loss
        self.lastValidation = lastValidation; self.averageSecondsPerStep = averageSecondsPerStep
    }

    /// "step 120/1000  3.21 steps/s  loss 0.4123  val 0.5012  ETA 4m34s". The speed is the average pace since the run
    /// began where known (validations and checkpoints included), like the ETA: the last window's speed swings with
    /// whether it held a validation, and a throttled printer shows only some windows.
    public var line: String {
        let eta = Int(secondsLeft.rounded())
        let etaText = eta >= 3600 ? "\(eta / 3600)h\(eta % 3600 / 60)m" : "\(eta / 60)m\(eta % 60)s"
        let val = lastValidation.map { "  val " + fmt($0, 4) } ?? ""
        let rate = averageSecondsPerStep.map { $0 > 0 ? 1 / $0 : 0 } ?? stepsPerSecond
        return "step \(step)/\(totalSteps)  \(fmt(rate, 2)) steps/s  loss \(fmt(loss, 4))\(val)  ETA \(etaText)"
    }
}

func fmt(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }

/// The outcome of a run.
public struct TrainingResult: Sendable {
    public var state: TrainingState
    /// Whether the run started from a checkpoint.
    public var resumed: Bool
    /// Whether it stopped because the wall-clock budget ran out (it can be resumed).
    public var outOfTime: Bool
}

public final class TrainingLoop {
    public let config: TrainingLoopConfig
    public let optimizer: AdamW
    public let checkpointDirectory: URL?
    /// Runs forward and backward for step `index` (gradients are zeroed before; the update follows).
    public let step: (_ index: Int) throws -> StepStats
    /// Scores the current parameters (higher is better), e.g. nDCG@10 on held-out queries.
    public let validate: (() throws -> Double)?
    /// Called with a progress report every `progressEvery` steps and at the end.
    public var progress: ((TrainingProgress) -> Void)?
    public var progressEvery = 10
    /// Stop (with a checkpoint, resumable) once this many seconds have passed. Not deterministic.
    public var timeBudgetSeconds: Double?
    /// Copy the best validated parameters back into the model when the run ends.
    public var restoreBestAtEnd = true
    /// Extra text that must match for a checkpoint to be resumed (e.g. the data's hash).
    public var runIdentity = ""

    public init(config: TrainingLoopConfig, optimizer: AdamW, checkpointDirectory: URL? = nil,
                validate: (() throws -> Double)? = nil, step: @escaping (_ index: Int) throws -> StepStats) {
        self.config = config; self.optimizer = optimizer; self.checkpointDirectory = checkpointDirectory
        self.validate = validate; self.step = step
    }

    /// A seed for step `index`'s random draws (dropout, sampling): a function of the run seed and the index only.
    public static func stepSeed(_ seed: UInt64, _ index: Int) -> UInt64 {
        var sm = SplitMix64(seed: seed ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15))
        return sm.next()
    }

    var parameters: [NamedParameter] { optimizer.parameters }

    var fingerprint: String {
        configurationHash([configurationHash(config), runIdentity] + parameters.map { "\($0.name)\($0.tensor.shape)" })
    }

    private var bestInMemory: [Tensor]?

    /// Runs (or resumes) training to `totalSteps`, early stopping, or the time budget.
    @discardableResult
    public func run() throws -> TrainingResult {
        var state = TrainingState()
        state.fingerprint = fingerprint
        var resumed = false
        if let dir = checkpointDirectory, let saved = try Checkpoint.read(from: dir, name: "latest") {
            guard saved.state.fingerprint == state.fingerprint else {
                throw CheckpointError("\(dir.path)/latest: a checkpoint of another run (configuration, data or model differ); use a fresh directory")
            }
            try Checkpoint.restore(parameters, from: saved.tensors, file: dir.path + "/latest")
            try optimizer.load(OptimizerState(step: saved.state.step, namedTensors:
                saved.tensors.filter { $0.key.hasPrefix("adam.") }.sorted { $0.key < $1.key }
                    .map { (name: $0.key, tensor: $0.value) }.reordered(like: parameters.map(\.name))))
            state = saved.state
            resumed = true
        }
        if let dir = checkpointDirectory {
            // The log holds this run's records only: what was appended after the checkpoint resumed from (or,
            // starting afresh, a log whose first checkpoint was never written) is cut off.
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try StepLog.reset(StepLog.url(in: dir), to: state.steps)
            stepsLogged = state.steps.count
        }
        let schedule = config.schedule
        let start = Date(), firstStep = state.step
        var windowStart = Date(), windowSteps = 0, windowLoss = 0.0
        var outOfTime = false
        while state.step < config.totalSteps && !state.stoppedEarly {
            let index = state.step
            optimizer.zeroGrad()
            // The parameters stay fixed until the update below: each weight is packed for the GEMM once per step.
            let stats = try Kernels.withPackedWeights { try step(index) }
            let lr = schedule.rate(at: index)
            optimizer.step(learningRate: lr)
            state.steps.append(StepRecord(step: index, learningRate: lr, loss: stats.loss, metrics: stats.metrics))
            state.step += 1
            windowSteps += 1; windowLoss += stats.loss
            if config.validateEvery > 0 && (state.step % config.validateEvery == 0 || state.step == config.totalSteps) {
                try runValidation(&state)
            }
            let ranOut = timeBudgetSeconds.map { Date().timeIntervalSince(start) >= $0 } ?? false
            if let dir = checkpointDirectory,
               (config.checkpointEvery > 0 && state.step % config.checkpointEvery == 0)
                || state.step == config.totalSteps || state.stoppedEarly || ranOut {
                try logSteps(state, in: dir)
                try Checkpoint.write(state: state, tensors: checkpointTensors(), to: dir, name: "latest")
            }
            if let report = progress, state.step % max(1, progressEvery) == 0 || state.step == config.totalSteps {
                let secs = Date().timeIntervalSince(windowStart)
                report(TrainingProgress(step: state.step, totalSteps: config.totalSteps,
                                        stepsPerSecond: secs > 0 ? Double(windowSteps) / secs : 0,
                                        loss: windowLoss / Double(max(1, windowSteps)),
                                        lastValidation: state.validations.last?.score,
                                        averageSecondsPerStep: Date().timeIntervalSince(start) / Double(max(1, state.step - firstStep))))
                windowStart = Date(); windowSteps = 0; windowLoss = 0
            }
            if ranOut { outOfTime = true; break }
        }
        if restoreBestAtEnd && !outOfTime { try restoreBest() }
        return TrainingResult(state: state, resumed: resumed, outOfTime: outOfTime)
    }

    private func runValidation(_ state: inout TrainingState) throws {
        guard let validate else { return }
        let score = try validate()
        state.validations.append(ValidationRecord(step: state.step, score: score))
        if state.bestScore.map({ score > $0 }) ?? true {
            state.bestScore = score; state.bestStep = state.step; state.validationsSinceBest = 0
            if let dir = checkpointDirectory {
                try logSteps(state, in: dir)
                try Checkpoint.write(state: state, tensors: Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.tensor) }),
                                     to: dir, name: "best")
            } else {
                bestInMemory = parameters.map { Tensor(shape: $0.tensor.shape, storage: $0.tensor.storage.copy()) }
            }
        } else {
            state.validationsSinceBest += 1
            if config.patience > 0 && state.validationsSinceBest >= config.patience { state.stoppedEarly = true }
        }
    }

    /// Step records appended to the checkpoint directory's log so far.
    private var stepsLogged = 0

    /// Appends the records not yet in the log; runs before every checkpoint write, which counts them. (`run` has
    /// created `dir`.)
    private func logSteps(_ state: TrainingState, in dir: URL) throws {
        try StepLog.append(state.steps[stepsLogged...], to: StepLog.url(in: dir))
        stepsLogged = state.steps.count
    }

    private func checkpointTensors() -> [String: Tensor] {
        var t: [String: Tensor] = [:]
        for p in parameters { t[p.name] = p.tensor }
        for (n, x) in optimizer.state().namedTensors { t[n] = x }
        return t
    }

    /// Copies the best validated parameters (if any validation ran) into the model.
    public func restoreBest() throws {
        if let dir = checkpointDirectory {
            if let best = try Checkpoint.read(from: dir, name: "best"), best.state.fingerprint == fingerprint {
                try Checkpoint.restore(parameters, from: best.tensors, file: dir.path + "/best")
            }
        } else if let best = bestInMemory {
            for (p, b) in zip(parameters, best) { p.tensor.pointer.update(from: b.pointer, count: b.count) }
        }
    }
}

extension Array where Element == (name: String, tensor: Tensor) {
    /// Moments in the optimiser's parameter order ("adam.m.<name>", "adam.v.<name>" for each name).
    func reordered(like names: [String]) -> [(name: String, tensor: Tensor)] {
        let byName = Dictionary(uniqueKeysWithValues: map { ($0.name, $0.tensor) })
        return names.flatMap { n -> [(name: String, tensor: Tensor)] in
            ["adam.m.\(n)", "adam.v.\(n)"].compactMap { k in byName[k].map { (name: k, tensor: $0) } }
        }
    }
}

/// The deterministic order in which a run visits `count` examples in batches of `batchSize`: each epoch is a fresh
/// seeded permutation; a batch never spans two epochs (the last `count mod batchSize` examples of an epoch are
/// dropped, as PyTorch's `drop_last=True`, unless `count < batchSize`). Batch `index` depends on the index alone.
public final class BatchOrder: @unchecked Sendable {
    public let count: Int, batchSize: Int, seed: UInt64
    public var batchesPerEpoch: Int { max(1, count / batchSize) }
    private var cachedEpoch = -1
    private var permutation: [Int] = []

    public init(count: Int, batchSize: Int, seed: UInt64) {
        precondition(count > 0 && batchSize > 0, "BatchOrder needs examples and a positive batch size")
        self.count = count; self.batchSize = batchSize; self.seed = seed
    }

    /// Example indices of batch `index`.
    public func batch(_ index: Int) -> [Int] {
        let epoch = index / batchesPerEpoch, within = index % batchesPerEpoch
        if epoch != cachedEpoch {
            var rng = Xoshiro256(seed: TrainingLoop.stepSeed(seed ^ 0xE90C, epoch))
            permutation = Array(0..<count)
            shuffle(&permutation, &rng)
            cachedEpoch = epoch
        }
        let lo = within * batchSize
        return Array(permutation[lo..<min(lo + batchSize, count)])
    }
}

/// In-place Fisher–Yates shuffle driven by `rng` (the one shuffle behind every seeded order in the package).
public func shuffle<T>(_ a: inout [T], _ rng: inout Xoshiro256) {
    guard a.count > 1 else { return }
    for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, rng.nextInt(below: i + 1)) }
}
