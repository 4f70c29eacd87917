// Golden comparison with PyTorch: a tiny post-LN BERT layer with embeddings (forward, loss and every gradient) and
// four AdamW steps with clipping and the warm-up/decay schedule. Values from Tests/Fixtures/Autograd/make_golden.py.

import Foundation
import Testing
import Tensors

private struct Golden: Decodable {
    struct Config: Decodable { let H, heads, I, V, S, B: Int }
    struct Param: Decodable { let shape: [Int]; let data: [Float] }
    struct Adam: Decodable {
        let p0: [Float]; let grads: [[Float]]; let lrs: [Float]; let norms: [Float]; let p: [Float]
        let peak: Float; let warmup: Int; let total: Int
        let weight_decay: Float; let max_norm: Float
    }
    let config: Config
    let ids: [Int]; let mask: [Float]
    let params: [String: Param]
    let r: [Float]; let out: [Float]; let loss: Float
    let grads: [String: [Float]]
    let adamw: Adam

    static func load() throws -> Golden {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/Autograd/bert_layer.json")
        return try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
    }
}

@Suite struct TorchGoldenTests {
    @Test func bertLayerForwardAndGradientsMatchPyTorch() throws {
        let g = try Golden.load()
        let (H, h, B, S) = (g.config.H, g.config.heads, g.config.B, g.config.S)
        var ps: [String: Tensor] = [:]
        for (n, p) in g.params { ps[n] = Tensor(shape: p.shape, scalars: p.data, requiresGrad: true) }
        func p(_ n: String) -> Tensor { ps[n]! }
        func lin(_ x: Tensor, _ n: String) -> Tensor { x.linear(weight: p("\(n).weight"), bias: p("\(n).bias")) }
        func ln(_ x: Tensor, _ n: String) -> Tensor { x.layerNorm(gamma: p("\(n).gamma"), beta: p("\(n).beta")) }

        // [B,S,H]
        let x = ln(Tensor.embedding(p("tok"), ids: g.ids, idShape: [B, S]) + p("pos").slice(axis: 0, 0..<S), "emb_ln")
        let q = lin(x, "q").splitHeads(h), k = lin(x, "k").splitHeads(h), v = lin(x, "v").splitHeads(h)   // [B,h,S,d]
        let additive = (1 - Tensor(shape: [B, 1, 1, S], scalars: g.mask)) * -10_000                           // [B,1,1,S]
        let probs = q.matmul(k, transposeB: true, alpha: 1 / Float(H / h).squareRoot()).softmax(additiveMask: additive)
        let h1 = ln(lin(probs.matmul(v).mergeHeads(), "o") + x, "ln1")
        let out = ln(lin(lin(h1, "ff1").gelu(), "ff2") + h1, "ln2")
        let loss = (out * Tensor(shape: [B, S, H], scalars: g.r)).sum()

        #expect(maxAbsDiff(out.scalars, g.out) < 2e-5, "layer output")
        #expect(abs(loss.item - g.loss) < 1e-4)
        loss.backward()
        for (n, expected) in g.grads.sorted(by: { $0.key < $1.key }) {
            let got = ps[n]!.grad?.scalars ?? []
            let scale = max(1, expected.map(abs).max() ?? 1)
            #expect(got.count == expected.count && maxAbsDiff(got, expected) < 1e-4 * scale, "gradient of \(n)")
        }
    }

    @Test func adamWWithClippingAndScheduleMatchesPyTorch() throws {
        let a = try Golden.load().adamw
        let p = Tensor(shape: [a.p0.count], scalars: a.p0, requiresGrad: true)
        let opt = AdamW([("p", p)], config: AdamConfig(weightDecay: a.weight_decay, maxGradNorm: a.max_norm))
        let schedule = LearningRateSchedule.linearWarmupDecay(peak: a.peak, warmupSteps: a.warmup, totalSteps: a.total)
        for (s, grad) in a.grads.enumerated() {
            p.grad = Tensor(shape: [grad.count], scalars: grad)
            #expect(abs(schedule.rate(at: s) - a.lrs[s]) < 1e-7, "lr at step \(s)")
            let norm = opt.step(learningRate: schedule.rate(at: s))
            #expect(abs(norm - a.norms[s]) < 1e-4 * a.norms[s], "pre-clip norm at step \(s)")
        }
        #expect(maxAbsDiff(p.scalars, a.p) < 1e-5, "parameters after \(a.grads.count) steps: \(p.scalars) vs \(a.p)")
    }
}
