// The losses: the worked examples of the doc comments, the properties of Margin-MSE (non-negative, zero iff the
// margins match, shift invariance, swap symmetry), reductions, and finite-difference gradient checks.

import Testing
import PropertyTesting
import Tensors
@testable import MarginMSE

private func t(_ v: [Float]) -> Tensor { Tensor(shape: [v.count], scalars: v) }

@Suite struct LossWorkedExamples {
    @Test func marginMSE() {
        let args = (t([3, 1]), t([1, 2]), t([10, 0]), t([7, 1]))
        let f = { (r: Reduction) in
            marginMSELoss(studentPositive: args.0, studentNegative: args.1, teacherPositive: args.2,
                          teacherNegative: args.3, reduction: r)
        }
        #expect(f(.mean).item == 0.5)
        #expect(f(.sum).item == 1)
        #expect(f(.none).scalars == [1, 0])
        #expect(f(.mean).shape == [])
    }

    @Test func rankNet() {
        let l = rankNetLoss(positive: t([2, 0]), negative: t([0, 0]), reduction: .none).scalars
        #expect(abs(l[0] - 0.126928) < 1e-6 && abs(l[1] - 0.693147) < 1e-6)
        #expect(abs(rankNetLoss(positive: t([2, 0]), negative: t([0, 0])).item - 0.410038) < 1e-6)
    }

    @Test func pointwiseAndCombined() {
        let p = pointwiseMSELoss(studentPositive: t([1]), studentNegative: t([0]), teacherPositive: t([3]),
                                 teacherNegative: t([1]))
        #expect(p.item == 2.5)
        let c = mseRankNetLoss(studentPositive: t([1]), studentNegative: t([0]), teacherPositive: t([3]),
                               teacherNegative: t([1]))
        #expect(abs(c.item - 2.813262) < 1e-5)
    }

    @Test func weightedRankNet() {
        let w = weightedRankNetLoss(studentPositive: t([2, 0]), studentNegative: t([0, 0]), teacherPositive: t([3, 1]),
                                    teacherNegative: t([1, 2]))
        #expect(abs(w.item - -0.219646) < 1e-6)
    }

    @Test func embeddingMSE() {
        let x = Tensor(shape: [2, 2], scalars: [1, 2, 0, 0]), y = Tensor(shape: [2, 2], scalars: [1, 0, 1, 1])
        #expect(embeddingMSELoss(student: x, teacher: y, reduction: .none).scalars == [2, 1])
        #expect(embeddingMSELoss(student: x, teacher: y).item == 1.5)
        #expect(embeddingMSELoss(student: x, teacher: y, reduction: .sum).item == 3)
    }

    @Test func listwiseKL() {
        let s = Tensor(shape: [1, 2], scalars: [0, 0]), tt = Tensor(shape: [1, 2], scalars: [Float(log(3.0)), 0])
        #expect(abs(listwiseKLLoss(student: s, teacher: tt).item - 0.130812) < 1e-5)
        #expect(abs(listwiseKLLoss(student: tt, teacher: tt).item) < 1e-6)
    }

    @Test func namedLossesMatchFunctions() {
        let sp = t([0.5, -1]), sn = t([0.2, 0.3]), tp = t([4, 1]), tn = t([1, 2])
        #expect(PairwiseLoss.marginMSE(studentPositive: sp, studentNegative: sn, teacherPositive: tp,
                                       teacherNegative: tn).item
                == marginMSELoss(studentPositive: sp, studentNegative: sn, teacherPositive: tp, teacherNegative: tn).item)
        #expect(PairwiseLoss.rankNet(studentPositive: sp, studentNegative: sn, teacherPositive: nil,
                                     teacherNegative: nil).item == rankNetLoss(positive: sp, negative: sn).item)
        #expect(PairwiseLoss.allCases.filter { !$0.needsTeacher } == [.rankNet])
    }
}

/// Four score vectors of one batch size: student ±, teacher ±.
private var batches: Gen<([Float], [Float], [Float], [Float])> { Gen.int(in: 1...8).flatMap { n in
    Gen.zip(Gen.floats(count: n, in: -10...10), Gen.floats(count: n, in: -10...10),
            Gen.zip(Gen.floats(count: n, in: -10...10), Gen.floats(count: n, in: -10...10)))
}.map { _, v in (v.0, v.1, v.2.0, v.2.1) } }

private func mm(_ b: ([Float], [Float], [Float], [Float]), _ r: Reduction = .mean) -> Tensor {
    marginMSELoss(studentPositive: t(b.0), studentNegative: t(b.1), teacherPositive: t(b.2), teacherNegative: t(b.3),
                  reduction: r)
}

@Suite struct MarginMSEProperties {
    @Test func nonNegativeAndZeroIffMarginsMatch() throws {
        try propertyCheck(batches) { b in
            let l = mm(b).item
            try require(l >= 0, "loss \(l) < 0")
            // Student scores built to have exactly the teacher's margins (offset by an arbitrary c per sample).
            let matched = mm((zip(b.2, b.0).map { $0 + $1 }, zip(b.3, b.0).map { $0 + $1 }, b.2, b.3)).item
            try requireClose(Double(matched), 0, atol: 1e-4)
            let margins = zip(zip(b.0, b.1), zip(b.2, b.3)).map { Double(($0.0 - $0.1) - ($1.0 - $1.1)) }
            if margins.contains(where: { abs($0) > 1e-2 }) { try require(l > 0, "loss 0 with margins differing") }
        }
    }

    @Test func invariantToConstantShifts() throws {
        try propertyCheck(Gen.zip(batches, Gen.float(in: -50...50), Gen.float(in: -50...50))) { b, c, d in
            let base = Double(mm(b).item)
            let shifted = mm((b.0.map { $0 + c }, b.1.map { $0 + c }, b.2.map { $0 + d }, b.3.map { $0 + d })).item
            try requireClose(Double(shifted), base, atol: 1e-2, rtol: 1e-3)
        }
    }

    @Test func symmetricUnderSwappingPositiveAndNegative() throws {
        try propertyCheck(batches) { b in
            let swapped = mm((b.1, b.0, b.3, b.2), .none).scalars, orig = mm(b, .none).scalars
            for (x, y) in zip(swapped, orig) { try requireClose(Double(x), Double(y), atol: 1e-4, rtol: 1e-5) }
        }
    }

    @Test func reductionsAgree() throws {
        try propertyCheck(batches) { b in
            let none = mm(b, .none).scalars.map(Double.init)
            try requireClose(Double(mm(b, .sum).item), none.reduce(0, +), atol: 1e-3, rtol: 1e-5)
            try requireClose(Double(mm(b, .mean).item), none.reduce(0, +) / Double(none.count), atol: 1e-3, rtol: 1e-5)
        }
    }

    @Test func gradientIsTwiceTheMarginErrorOverB() {
        let sp = t([3, 1]), sn = t([1, 2])
        sp.requiresGrad = true; sn.requiresGrad = true
        withGrad { mm2(sp, sn).backward() }
        // Δ = [2−3, −1−(−1)] = [−1, 0]; ∂L/∂s⁺ = 2Δ/2 = [−1, 0], ∂L/∂s⁻ = [1, 0].
        #expect(sp.grad?.scalars == [-1, 0])
        #expect(sn.grad?.scalars == [1, 0])
    }
    private func mm2(_ sp: Tensor, _ sn: Tensor) -> Tensor {
        marginMSELoss(studentPositive: sp, studentNegative: sn, teacherPositive: t([10, 0]), teacherNegative: t([7, 1]))
    }
}

@Suite struct LossGradients {
    /// Every pairwise loss, with every reduction, against central differences on random scores.
    @Test(arguments: PairwiseLoss.allCases)
    func pairwise(_ loss: PairwiseLoss) {
        var rng = Xoshiro256(seed: 7)
        for r in Reduction.allCases {
            let sp = Tensor.randomNormal([5], std: 2, rng: &rng), sn = Tensor.randomNormal([5], std: 2, rng: &rng)
            // The teacher's scores require gradients here, so that the check below can fail: a loss that let gradients
            // flow into them would fill tp.grad / tn.grad.
            let tp = Tensor.randomNormal([5], std: 3, rng: &rng, requiresGrad: true)
            let tn = Tensor.randomNormal([5], std: 3, rng: &rng, requiresGrad: true)
            let res = gradientCheck([sp, sn]) {
                loss(studentPositive: sp, studentNegative: sn, teacherPositive: tp, teacherNegative: tn, reduction: r)
            }
            #expect(res.passed, "\(loss) \(r): \(res)")
            #expect(tp.grad == nil && tn.grad == nil, "teacher scores must not receive gradients")
        }
    }

    @Test func embeddingAndListwise() {
        var rng = Xoshiro256(seed: 8)
        let x = Tensor.randomNormal([3, 4], rng: &rng), y = Tensor.randomNormal([3, 4], rng: &rng)
        let r1 = gradientCheck([x]) { embeddingMSELoss(student: x, teacher: y, reduction: .none) }
        #expect(r1.passed, "\(r1)")
        let r2 = gradientCheck([x]) { listwiseKLLoss(student: x, teacher: y, temperature: 2, reduction: .none) }
        #expect(r2.passed, "\(r2)")
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
