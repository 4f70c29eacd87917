// Property tests: for every differentiable op, analytic gradients equal central finite differences over random
// shapes and values (gradientCheck; method and tolerances in Sources/Tensors/GradientCheck.swift).

import Testing
import PropertyTesting
import Tensors

private var dims: Gen<(Int, Int, Int)> { .zip(.int(in: 1...3), .int(in: 1...4), .int(in: 0...1_000_000)) }
private let cases = 12

@Suite struct OpGradientTests {
    @Test func arithmeticWithBroadcasting() {
        // (shape of a, shape of b) pairs the rankers use: equal, trailing vector, mask-like, scalar, column.
        propertyCheck(dims, cases: cases) { (b, n, seed) in
            let s = UInt64(seed)
            let pairs: [([Int], [Int])] = [([b, n, 3], [b, n, 3]), ([b, n, 3], [3]), ([b, 2, n, n], [b, 1, 1, n]),
                                           ([b, n], []), ([b, n, 1], [4]), ([n], [b, n])]
            for (i, (sa, sb)) in pairs.enumerated() {
                let x = randomTensor(sa, seed: s &+ UInt64(i)), y = randomTensor(sb, seed: s &+ 100 &+ UInt64(i))
                try requireGradients([x, y], "add \(sa)+\(sb)") { x + y }
                try requireGradients([x, y], "sub \(sa)-\(sb)") { x - y }
                try requireGradients([x, y], "mul \(sa)*\(sb)") { x * y }
                let yPos = randomTensor(sb, seed: s &+ 200 &+ UInt64(i), in: 0.5...1.5)
                try requireGradients([x, yPos], "div \(sa)/\(sb)") { x / yPos }
            }
            let x = randomTensor([b, n], seed: s)
            try requireGradients([x], "scale/shift/neg") { (-(x * 1.5 + 0.25)) / 2 }
        }
    }

    @Test func activations() {
        propertyCheck(dims, cases: cases) { (b, n, seed) in
            let s = UInt64(seed)
            let x = randomTensor([b, n, 2], seed: s, in: -3...3)
            try requireGradients([x], "gelu") { x.gelu() }
            try requireGradients([x], "geluTanh") { x.geluTanh() }
            try requireGradients([x], "tanh") { x.tanh() }
            try requireGradients([x], "exp") { x.exp() }
            try requireGradients([x], "square") { x.square() }
            try requireGradients([x], "sigmoid") { x.sigmoid() }
            try requireGradients([x], "logSigmoid") { x.logSigmoid() }
            try requireGradients([x], "softplus") { x.softplus() }
            let k = awayFromZero([b, n, 2], seed: s &+ 1)
            try requireGradients([k], "relu") { k.relu() }
            try requireGradients([k], "clampMin") { k.clampMin(0) }
            let p = randomTensor([b, n, 2], seed: s &+ 2, in: 0.5...2)
            try requireGradients([p], "log") { p.log() }
            try requireGradients([p], "sqrt") { p.sqrt() }
            try requireGradients([p], "pow 1.5") { p.pow(1.5) }
            try requireGradients([p], "pow -1") { p.pow(-1) }
        }
    }

    @Test func matmulAllTransposesAndBatches() {
        propertyCheck(dims, cases: cases) { (m, k, seed) in
            let s = UInt64(seed), n = 1 + Int(s % 3)
            for ta in [false, true] {
                for tb in [false, true] {
                    let a2 = randomTensor(ta ? [k, m] : [m, k], seed: s &+ 1)
                    let b2 = randomTensor(tb ? [n, k] : [k, n], seed: s &+ 2)
                    try requireGradients([a2, b2], "2-D ta \(ta) tb \(tb)") { a2.matmul(b2, transposeA: ta, transposeB: tb) }
                    let a4 = randomTensor([2, 1] + (ta ? [k, m] : [m, k]), seed: s &+ 3)
                    let b4 = randomTensor([2, 1] + (tb ? [n, k] : [k, n]), seed: s &+ 4)
                    try requireGradients([a4, b4], "4-D ta \(ta) tb \(tb)") { a4.matmul(b4, transposeA: ta, transposeB: tb) }
                    let a3 = randomTensor([2] + (ta ? [k, m] : [m, k]), seed: s &+ 5)
                    try requireGradients([a3, b2], "3-D·shared 2-D ta \(ta) tb \(tb)") { a3.matmul(b2, transposeA: ta, transposeB: tb) }
                    try requireGradients([a4, b4], "alpha ta \(ta) tb \(tb)") { a4.matmul(b4, transposeA: ta, transposeB: tb, alpha: -0.7) }
                }
            }
        }
    }

    @Test func linearWithAndWithoutBias() {
        propertyCheck(dims, cases: cases) { (b, n, seed) in
            let s = UInt64(seed)
            let x = randomTensor([b, n, 3], seed: s), w = randomTensor([2, 3], seed: s &+ 1), bias = randomTensor([2], seed: s &+ 2)
            try requireGradients([x, w, bias], "linear+bias") { x.linear(weight: w, bias: bias) }
            try requireGradients([x, w], "linear") { x.linear(weight: w) }
        }
    }

    @Test func reductions() {
        propertyCheck(dims, cases: cases) { (b, n, seed) in
            let s = UInt64(seed)
            let x = randomTensor([b, n, 3], seed: s)
            for axis in [0, 1, 2, -1] {
                try requireGradients([x], "sum \(axis)") { x.sum(axis: axis) }
                try requireGradients([x], "mean \(axis) keepDims") { x.mean(axis: axis, keepDims: true) }
                let d = distinctValues([b, n, 3], seed: s &+ 1)
                try requireGradients([d], "max \(axis)") { d.max(axis: axis) }
            }
            try requireGradients([x], "sum all") { x.sum() }
            try requireGradients([x], "mean all") { x.mean() }
        }
    }

    @Test func shapeOps() {
        propertyCheck(dims, cases: cases) { (b, n, seed) in
            let s = UInt64(seed)
            let x = randomTensor([b, n, 4], seed: s)
            try requireGradients([x], "reshape") { x.reshaped([n, -1]).square() }
            try requireGradients([x], "permute") { x.permuted([2, 0, 1]) * randomTensor([4, b, n], seed: 9) }
            try requireGradients([x], "transpose") { x.transposedLastTwo() }
            try requireGradients([x], "split heads") { x.splitHeads(2) }
            try requireGradients([x], "split+merge") { x.splitHeads(2).exp().mergeHeads() }
            try requireGradients([x], "slice") { x.slice(axis: 2, 1..<3) }
            try requireGradients([x], "select") { x.select(axis: 1, index: n - 1) }
            try requireGradients([x], "indexSelect") { x.indexSelect([b - 1, 0, b - 1]) }
            try requireGradients([x], "scatterRows") { x.scatterRows(Array((0..<b).map { 2 * $0 + 1 }.reversed()), count: 2 * b + 1) }
            let y = randomTensor([b, 2, 4], seed: s &+ 1)
            try requireGradients([x, y], "concat") { Tensor.concat([x, y, x], axis: 1) }
        }
    }

    @Test func softmaxFamilies() {
        propertyCheck(dims, cases: cases) { (b, n, seed) in
            let s = UInt64(seed)
            let x = randomTensor([b, 2, n, n + 1], seed: s, in: -3...3)
            try requireGradients([x], "softmax") { x.softmax() }
            try requireGradients([x], "logSoftmax") { x.logSoftmax() }
            let keep = Tensor(shape: [b, 1, 1, n + 1], scalars: (0..<(b * (n + 1))).map { $0 % (n + 1) == n ? 0 : 1 })
            try requireGradients([x], "softmax keep mask") { x.softmax(keepMask: keep) }
            let additive = withNoGrad { (keep - 1) * 10_000 }
            try requireGradients([x], "softmax additive mask") { x.softmax(additiveMask: additive) }
            // The attention-shaped mask takes the fused pass; it equals adding the mask first, bit for bit.
            let (fused, unfused) = withNoGrad { (x.softmax(additiveMask: additive).scalars, (x + additive).softmax().scalars) }
            try require(fused == unfused, "softmax(additiveMask:) differs from (x + mask).softmax()")
        }
    }

    @Test func layerNormAllInputs() {
        propertyCheck(dims, cases: cases) { (b, n, seed) in
            let s = UInt64(seed), h = 2 + n
            let x = randomTensor([b, 2, h], seed: s, in: -2...2)
            let gamma = randomTensor([h], seed: s &+ 1, in: 0.5...1.5), beta = randomTensor([h], seed: s &+ 2)
            try requireGradients([x, gamma, beta], atol: 2e-3, "layerNorm") { x.layerNorm(gamma: gamma, beta: beta, eps: 1e-5) }
            let x2 = randomTensor([b, h], seed: s &+ 3, in: -2...2)
            let g2 = randomTensor([h], seed: s &+ 4, in: 0.5...1.5), b2 = randomTensor([h], seed: s &+ 5)
            try requireGradients([x2], atol: 2e-3, "layerNorm, constant affine") { x2.layerNorm(gamma: g2, beta: b2, eps: 1e-5) }
            try requireGradients([g2], atol: 2e-3, "layerNorm, gamma only") { x2.layerNorm(gamma: g2, beta: b2, eps: 1e-5) }
        }
    }

    @Test func embeddingDropoutMaskNormalize() {
        propertyCheck(dims, cases: cases) { (b, n, seed) in
            let s = UInt64(seed)
            let table = randomTensor([5, 3], seed: s)
            let ids = (0..<(b * n)).map { ($0 * 7 + Int(s % 5)) % 5 }
            try requireGradients([table], "embedding") { Tensor.embedding(table, ids: ids, idShape: [b, n]) }
            let x = randomTensor([b, n, 3], seed: s &+ 1)
            try requireGradients([x], "dropout") {
                var rng = Xoshiro256(seed: s)   // the same mask on every evaluation
                return x.dropout(0.3, training: true, rng: &rng)
            }
            let mask = Tensor(shape: [b, 1, 3], scalars: (0..<(b * 3)).map { Float($0 % 2) })
            try requireGradients([x], "maskedFill") { x.maskedFill(mask, value: -1000) }
            try requireGradients([x], "l2Normalized") { x.l2Normalized() }
            let d = randomTensor([b, 2, 3], seed: s &+ 2)
            try requireGradients([x, d], "cosineMatrix") { Tensor.cosineMatrix(x, d) }
        }
    }

    @Test func losses() {
        propertyCheck(dims, cases: cases) { (b, n, seed) in
            let s = UInt64(seed)
            let p = randomTensor([b, n], seed: s), t = randomTensor([b, n], seed: s &+ 1)
            try requireGradients([p, t], "mse") { Tensor.mseLoss(p, t) }
            let targets = (0..<b).map { ($0 + Int(s % 7)) % n }
            try requireGradients([p], "crossEntropy") { Tensor.crossEntropyLoss(p, targets: targets) }
        }
    }
}
