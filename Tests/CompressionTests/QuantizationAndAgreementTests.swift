// int8 per-row quantisation and the teacher-agreement measures.

import Foundation
import Testing
import PropertyTesting
import Tensors
import Student
@testable import Compression

@Suite struct QuantizationTests {
    @Test func roundingErrorIsAtMostHalfAScaleStepPerRow() {
        propertyCheck(Gen.zip(Gen.int(in: 1...6), Gen.int(in: 1...9), Gen.float(in: 0.001...10))) { (r, c, scale) in
            var rng = Xoshiro256(seed: UInt64(r * 97 + c))
            let w = Tensor.randomNormal([r, c], std: scale, rng: &rng)
            let q = QuantizedMatrix(quantizing: w)
            let back = q.dequantized()
            for i in 0..<r {
                let m = (0..<c).map { abs(w[i, $0]) }.max()!
                try require(abs(q.scales[i] - m / 127) <= 1e-6 * m)
                try require((0..<c).contains { abs(q.values[i * c + $0]) == 127 }, "row max maps to ±127")
                for j in 0..<c { try require(abs(back[i, j] - w[i, j]) <= q.scales[i] * 0.5001 + 1e-9) }
            }
            try require(q.bytes == r * c + 4 * r)
        }
    }

    @Test func workedExampleAndZeroRow() {
        let q = QuantizedMatrix(quantizing: Tensor(shape: [2, 3], scalars: [1.27, -0.635, 0.01, 0, 0, 0]))
        #expect(q.values == [127, -64, 1, 0, 0, 0])    // −0.635/0.01 = −63.5 rounds away from zero
        #expect(abs(q.scales[0] - 0.01) < 1e-9 && q.scales[1] == 0)
        #expect(q.dequantized().scalars[3...] == [0, 0, 0])
    }

    @Test func modelSummaryCountsInt8WeightsScalesAndFp32Rest() throws {
        let t = Tiny.teacher()
        let (qm, s) = Int8Quantization.quantize(t.model)
        let e = t.model.encoder.config
        let h = e.hiddenSize, f = e.intermediateSize, v = e.vocabSize, p = e.maxPositionEmbeddings
        // Quantised: word embeddings and 6 Linear weights per layer (Q, K, V, O, FFN in, FFN out).
        #expect(s.quantizedTensors.count == 1 + 6 * e.numHiddenLayers)
        #expect(s.int8Weights == v * h + e.numHiddenLayers * (4 * h * h + 2 * h * f))
        #expect(s.scales == v + e.numHiddenLayers * (4 * h + f + h))
        let total = t.model.parameters.reduce(0) { $0 + $1.tensor.count }
        #expect(s.fp32Parameters == total - s.int8Weights)
        #expect(s.fp32Parameters >= p * h)
        #expect(s.bytes == s.int8Weights + 4 * s.scales + 4 * s.fp32Parameters)
        // The dequantised model stays close to the original and leaves it untouched.
        let texts = Tiny.texts(8)
        let ids = texts.map { t.tokenizer.encode($0).ids.map(Int.init) }
        let a = t.model.embed(ids: ids), b = qm.embed(ids: ids)
        #expect(a != b)
        for (x, y) in zip(a, b) { for j in x.indices { #expect(abs(x[j] - y[j]) < 0.02) } }
        #expect(t.model.encoder.wordEmbeddings.scalars != qm.encoder.wordEmbeddings.scalars)
    }
}

@Suite struct AgreementTests {
    @Test func spearmanWorkedExamples() {
        #expect(TeacherAgreement.spearman([1, 2, 3], [1, 3, 2]) == 0.5)       // 1 − 6·2/(3·8)
        #expect(TeacherAgreement.spearman([1, 2, 3, 4], [10, 20, 30, 40]) == 1)
        #expect(abs(TeacherAgreement.spearman([1, 2, 3, 4], [4, 3, 2, 1]) + 1) < 1e-12)
        // scipy.stats.spearmanr([1, 2, 2, 3], [1, 3, 2, 4]) = 0.9486832980505138
        #expect(abs(TeacherAgreement.spearman([1, 2, 2, 3], [1, 3, 2, 4]) - 0.9486832980505138) < 1e-12)
        #expect(TeacherAgreement.ranks([5, 1, 5, 2]) == [3.5, 1, 3.5, 2])
    }

    @Test func identicalAndRotatedEmbeddingsAgreeFully() {
        propertyCheck(Gen.int(in: 3...14)) { n in
            var rng = Xoshiro256(seed: UInt64(n))
            let x = (0..<n).map { _ in (0..<4).map { _ in rng.nextGaussian() } }
            // A rotation in the first two coordinates preserves every cosine.
            let c: Float = 0.6, s: Float = 0.8
            let rotated = x.map { v in [c * v[0] - s * v[1], s * v[0] + c * v[1], v[2], v[3]] }
            let a = TeacherAgreement.measure(teacher: x, student: rotated, targets: x)
            try require(a.spearmanPairwiseCosine > 0.999999, "rho \(a.spearmanPairwiseCosine)")
            try require(a.topTenOverlap == 1, "overlap \(a.topTenOverlap)")
            let same = TeacherAgreement.measure(teacher: x, student: x, targets: x)
            try require(same.mseTimes100 == 0)
        }
    }

    @Test func overlapAndMSEWorkedExample() {
        let t: [[Float]] = [[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]]
        let s: [[Float]] = [[1, 0], [0, 1], [0.9, 0.1], [0.1, 0.9]]   // rows 1 and 2 swapped
        // Nearest neighbour (k = 1): teacher 0→1, 1→0, 2→3, 3→2; student 0→2, 1→3, 2→0, 3→1: no overlap.
        #expect(TeacherAgreement.neighbourOverlap(teacher: t, student: s, k: 1) == 0)
        #expect(TeacherAgreement.neighbourOverlap(teacher: t, student: t, k: 3) == 1)
        #expect(abs(TeacherAgreement.mseTimes100(targets: [[1, 2]], student: [[0, 0]]) - 250) < 1e-9)
    }
}
