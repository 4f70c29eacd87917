// Adam / AdamW, clipping, state save/restore, learning-rate schedules, parameter registry.

import Foundation
import Testing
import PropertyTesting
import Tensors

@Suite struct OptimizerTests {
    @Test func firstAdamStepMovesByLearningRateTimesSign() {
        // Step 1: m̂ = g, v̂ = g², so the update is lr·g/(|g| + eps) ≈ lr·sign(g) (no weight decay).
        let p = Tensor(shape: [3], scalars: [1, -2, 0.5], requiresGrad: true)
        p.grad = Tensor(shape: [3], scalars: [0.3, -4, 1e-3])
        let opt = AdamW([("p", p)], config: AdamConfig(weightDecay: 0))
        opt.step(learningRate: 0.1)
        #expect(maxAbsDiff(p.scalars, [0.9, -1.9, 0.4]) < 1e-4)
        #expect(opt.step == 1)
    }

    @Test func adamWDecayIsDecoupledAndAdamDecayIsCoupled() {
        // Zero gradient: AdamW shrinks p by lr·λ·p; Adam's L2 term enters the moments, giving lr·sign(λp).
        let p1 = Tensor(shape: [1], scalars: [2], requiresGrad: true)
        p1.grad = Tensor(zeros: [1])
        AdamW([("p", p1)], config: AdamConfig(weightDecay: 0.1, mode: .adamW)).step(learningRate: 0.01)
        #expect(abs(p1.item - (2 - 0.01 * 0.1 * 2)) < 1e-7)
        let p2 = Tensor(shape: [1], scalars: [2], requiresGrad: true)
        p2.grad = Tensor(zeros: [1])
        AdamW([("p", p2)], config: AdamConfig(weightDecay: 0.1, mode: .adam)).step(learningRate: 0.01)
        #expect(abs(p2.item - (2 - 0.01)) < 1e-6)
    }

    @Test func matchesAHandWrittenAdamOverSeveralSteps() {
        // Reference in Double: the equations in Optimizer.swift, including decoupled decay and group LR scale.
        propertyCheck(Gen<Int>.int(in: 0...100_000), cases: 20) { seed in
            var rng = Xoshiro256(seed: UInt64(seed))
            let n = 5
            let p = Tensor.randomNormal([n], rng: &rng, requiresGrad: true)
            var ref = p.scalars.map(Double.init), m = [Double](repeating: 0, count: n), v = m
            let opt = AdamW(groups: [ParameterGroup([("p", p)], learningRateScale: 0.5)],
                            config: AdamConfig(weightDecay: 0.05))
            for t in 1...6 {
                let g = Tensor.randomNormal([n], rng: &rng)
                p.grad = g
                opt.step(learningRate: 0.02)
                let lr = 0.01, b1 = 0.9, b2 = 0.999
                for i in 0..<n {
                    let gi = Double(g[flat: i])
                    m[i] = b1 * m[i] + (1 - b1) * gi
                    v[i] = b2 * v[i] + (1 - b2) * gi * gi
                    let mh = m[i] / (1 - pow(b1, Double(t))), vh = v[i] / (1 - pow(b2, Double(t)))
                    ref[i] -= lr * (mh / (vh.squareRoot() + 1e-8) + 0.05 * ref[i])
                }
            }
            for i in 0..<n { try requireClose(Double(p[flat: i]), ref[i], atol: 1e-5, rtol: 1e-4, "p[\(i)]") }
        }
    }

    @Test func globalNormClipping() {
        // Two gradients with global norm 5 (3,4) clipped to 1: scaled by 1/5 (then Adam normalises, so check the norm
        // reported and that a norm below the limit is untouched).
        let a = Tensor(shape: [1], scalars: [0], requiresGrad: true), b = Tensor(shape: [1], scalars: [0], requiresGrad: true)
        a.grad = Tensor(shape: [1], scalars: [3]); b.grad = Tensor(shape: [1], scalars: [4])
        let opt = AdamW([("a", a), ("b", b)], config: AdamConfig(weightDecay: 0, maxGradNorm: 1))
        #expect(abs(opt.gradientNorm() - 5) < 1e-6)
        #expect(abs(opt.step(learningRate: 0.1) - 5) < 1e-6)
        // With clipping the second moment saw (0.6, 0.8): state v = 0.001·g².
        let st = opt.state()
        #expect(abs(st.v[0].item - 0.001 * 0.36) < 1e-7 && abs(st.v[1].item - 0.001 * 0.64) < 1e-7)
    }

    @Test func savedStateResumesIdentically() {
        func run(steps: Int, resumeAt: Int?, load: Bool = true) -> [Float] {
            var rng = Xoshiro256(seed: 11)
            let p = Tensor.randomNormal([4], rng: &rng, requiresGrad: true)
            var opt = AdamW([("w", p)])
            var grads = Xoshiro256(seed: 12)
            for s in 0..<steps {
                if s == resumeAt {
                    // Round-trip through the flat named-tensor form, into a fresh optimiser.
                    let saved = OptimizerState(step: opt.step, namedTensors: opt.state().namedTensors)
                    opt = AdamW([("w", p)])
                    if load { try? opt.load(saved) }
                }
                p.grad = Tensor.randomNormal([4], rng: &grads)
                opt.step(learningRate: LearningRateSchedule.linearWarmupDecay(peak: 0.1, warmupSteps: 2, totalSteps: 8).rate(at: s))
            }
            return p.scalars
        }
        #expect(run(steps: 8, resumeAt: nil) == run(steps: 8, resumeAt: 5))
        // Without the state (fresh moments, step 0) the run differs: the state is what makes resuming exact.
        #expect(run(steps: 8, resumeAt: nil) != run(steps: 8, resumeAt: 5, load: false))
        let opt = AdamW([("w", Tensor(zeros: [2], requiresGrad: true))])
        #expect(throws: OptimizerStateError.self) {
            try opt.load(OptimizerState(step: 1, names: ["x"], m: [Tensor(zeros: [2])], v: [Tensor(zeros: [2])]))
        }
    }

    @Test func scheduleValues() {
        let s = LearningRateSchedule.linearWarmupDecay(peak: 1, warmupSteps: 4, totalSteps: 12)
        #expect((0...13).map { s.rate(at: $0) } == [0, 0.25, 0.5, 0.75, 1, 0.875, 0.75, 0.625, 0.5, 0.375, 0.25, 0.125, 0, 0])
        #expect(LearningRateSchedule.constant(0.3).rate(at: 1000) == 0.3)
        #expect(LearningRateSchedule.linearWarmup(peak: 2, warmupSteps: 2).rate(at: 1) == 1)
        #expect(LearningRateSchedule.linearWarmup(peak: 2, warmupSteps: 2).rate(at: 50) == 2)
    }

    @Test func parameterListNamesAndCounts() {
        var ps = ParameterList()
        ps.add("w", Tensor(zeros: [2, 3]))
        var inner = ParameterList()
        inner.add("bias", Tensor(zeros: [3]))
        ps.add(prefix: "layer.0", inner.items)
        #expect(ps.items.map(\.name) == ["w", "layer.0.bias"])
        #expect(ps.scalarCount == 9)
        #expect(ps["layer.0.bias"]?.requiresGrad == true && ps["layer.0.bias"]?.name == "layer.0.bias")
    }
}
