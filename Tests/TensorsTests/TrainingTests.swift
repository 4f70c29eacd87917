// End to end: small models built from the ops, gradient-checked as a whole and trained by AdamW until the loss falls.

import Testing
import PropertyTesting
import Tensors

/// A one-layer, two-head self-attention classifier over token ids: embeddings (token + position), attention with a
/// padding mask, residual + layer norm, GELU feed-forward, [CLS] (position 0) → 2 logits.
/// Letters: B batch, S sequence, H hidden (8), h heads (2), d = H/h.
private struct TinyAttention {
    var params = ParameterList()
    let heads = 2, hidden = 8

    init(vocab: Int, maxLen: Int, seed: UInt64) {
        var rng = Xoshiro256(seed: seed)
        func w(_ shape: [Int], _ std: Float = 0.3) -> Tensor { Tensor.randomNormal(shape, std: std, rng: &rng) }
        params.add("tok", w([vocab, hidden]))
        params.add("pos", w([maxLen, hidden]))
        for n in ["q", "k", "v", "o", "ff"] { params.add("\(n).weight", w([hidden, hidden])); params.add("\(n).bias", Tensor(zeros: [hidden])) }
        params.add("ln.gamma", Tensor(repeating: 1, shape: [hidden])); params.add("ln.beta", Tensor(zeros: [hidden]))
        params.add("cls.weight", w([2, hidden])); params.add("cls.bias", Tensor(zeros: [2]))
    }

    func p(_ n: String) -> Tensor { params[n]! }

    /// ids [B·S] (0 = padding), returns logits [B,2].
    func callAsFunction(_ ids: [Int], batch b: Int, seq s: Int) -> Tensor {
        let x = Tensor.embedding(p("tok"), ids: ids, idShape: [b, s]) + p("pos").slice(axis: 0, 0..<s)    // [B,S,H]
        let q = x.linear(weight: p("q.weight"), bias: p("q.bias")).splitHeads(heads)                      // [B,h,S,d]
        let k = x.linear(weight: p("k.weight"), bias: p("k.bias")).splitHeads(heads)
        let v = x.linear(weight: p("v.weight"), bias: p("v.bias")).splitHeads(heads)
        let keep = Tensor(shape: [b, 1, 1, s], scalars: ids.map { $0 == 0 ? 0 : 1 })                      // [B,1,1,S]
        let att = (q.matmul(k, transposeB: true) * (1 / Float(hidden / heads).squareRoot())).softmax(keepMask: keep)
        let ctx = att.matmul(v).mergeHeads().linear(weight: p("o.weight"), bias: p("o.bias"))             // [B,S,H]
        let h1 = (x + ctx).layerNorm(gamma: p("ln.gamma"), beta: p("ln.beta"), eps: 1e-5)
        let h2 = h1 + h1.linear(weight: p("ff.weight"), bias: p("ff.bias")).gelu()
        return h2.select(axis: 1, index: 0).linear(weight: p("cls.weight"), bias: p("cls.bias"))          // [B,2]
    }
}

@Suite struct TrainingTests {
    @Test func mlpLearnsXorWithAdamW() {
        var rng = Xoshiro256(seed: 3)
        var ps = ParameterList()
        let w1 = ps.add("w1", Tensor.randomNormal([16, 2], std: 0.8, rng: &rng)), b1 = ps.add("b1", Tensor(zeros: [16]))
        let w2 = ps.add("w2", Tensor.randomNormal([1, 16], std: 0.3, rng: &rng)), b2 = ps.add("b2", Tensor(zeros: [1]))
        let x = Tensor(shape: [4, 2], scalars: [0, 0, 0, 1, 1, 0, 1, 1])
        let y = Tensor(shape: [4, 1], scalars: [0, 1, 1, 0])
        let opt = AdamW(ps.items, config: AdamConfig(weightDecay: 0.01, maxGradNorm: 5))
        var losses: [Float] = []
        for _ in 0..<300 {
            opt.zeroGrad()
            let pred = x.linear(weight: w1, bias: b1).tanh().linear(weight: w2, bias: b2)
            let loss = Tensor.mseLoss(pred, y)
            loss.backward()
            opt.step(learningRate: 0.03)
            losses.append(loss.item)
        }
        #expect(losses[0] > 0.2)
        #expect(losses.last! < 0.01, "final loss \(losses.last!)")
    }

    @Test func tinyAttentionBlockPassesGradientCheck() {
        let model = TinyAttention(vocab: 6, maxLen: 4, seed: 5)
        let ids = [1, 2, 3, 0, 1, 4, 0, 0]   // two sequences of length 4 with padding
        let r = gradientCheck(model.params.tensors, atol: 2e-3, rtol: 2e-2) { model(ids, batch: 2, seq: 4) }
        #expect(r.passed, "\(r)")
        #expect(r.checked == model.params.scalarCount)
    }

    @Test func tinyAttentionLearnsWhetherTokenFiveOccurs() {
        // Label 1 iff token 5 occurs among the real tokens (after [CLS] = 1); padding must not matter.
        let model = TinyAttention(vocab: 7, maxLen: 6, seed: 8)
        let opt = AdamW(model.params.items, config: AdamConfig(weightDecay: 0.01, maxGradNorm: 1))
        let schedule = LearningRateSchedule.linearWarmupDecay(peak: 0.02, warmupSteps: 10, totalSteps: 150)
        var data = Xoshiro256(seed: 9)
        func batch(_ n: Int) -> (ids: [Int], labels: [Int]) {
            var ids: [Int] = [], labels: [Int] = []
            for _ in 0..<n {
                let len = 2 + data.nextInt(below: 5)
                let has = data.nextInt(below: 2) == 1
                var seq = [1] + (1..<len).map { _ in 2 + data.nextInt(below: 3) } // tokens 2…4
                if has { seq[1 + data.nextInt(below: len - 1)] = 5 }
                ids += seq + [Int](repeating: 0, count: 6 - len)
                labels.append(has ? 1 : 0)
            }
            return (ids, labels)
        }
        let test = batch(64)
        let before = withNoGrad { Tensor.crossEntropyLoss(model(test.ids, batch: 64, seq: 6), targets: test.labels).item }
        var dropRNG = Xoshiro256(seed: 10)
        for step in 0..<150 {
            let (ids, labels) = batch(16)
            opt.zeroGrad()
            let logits = model(ids, batch: 16, seq: 6).dropout(0.1, training: true, rng: &dropRNG)
            Tensor.crossEntropyLoss(logits, targets: labels).backward()
            opt.step(learningRate: schedule.rate(at: step))
        }
        let logits = withNoGrad { model(test.ids, batch: 64, seq: 6) }
        let after = Tensor.crossEntropyLoss(logits, targets: test.labels).item
        let correct = (0..<64).filter { (logits[$0, 1] > logits[$0, 0] ? 1 : 0) == test.labels[$0] }.count
        #expect(after < before * 0.5, "held-out loss \(before) → \(after)")
        #expect(correct >= 56, "accuracy \(correct)/64")
    }
}
