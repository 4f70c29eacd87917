// `bench compression`: latency per text at batch 1, padded to exactly 52 and 90 positions (Xayn's fixed token sizes,
// Chaulwar et al. 2022), for the teacher shape (all-MiniLM-L6-v2: 6 × 384, vocab 30,522) and student shapes of the
// grid (L × k with vocabulary V), each a full forward pass plus mean pooling, against the same shapes in PyTorch
// (transformers BertModel, fp32, same thread count). Random weights on both sides: speed does not depend on them.
// Options: --shapes "6x384x30522,1x128x8000" (L×k×V), --threads N, --quick.
import Foundation
import Tensors
import Student

func benchCompression(_ ctx: BenchContext) throws {
    let threads = benchThreads(ctx)
    let savedThreads = Kernels.threadCount
    Kernels.threadCount = threads          // the Swift side runs on as many threads as the peer
    defer { Kernels.threadCount = savedThreads }
    let shapes = (ctx.option("shapes") ?? "6x384x30522,1x384x30522,1x128x30522,1x128x8000,2x64x4000")
        .split(separator: ",").map { $0.split(separator: "x").compactMap { Int($0) } }.filter { $0.count == 3 }
    let repeats = ctx.quick ? 10 : 50
    let peer = try runPeer("compression.py", ["--threads", "\(threads)", "--repeats", "\(repeats)",
                                              "--shapes", shapes.map { $0.map(String.init).joined(separator: "x") }.joined(separator: ",")],
                           environment: ["OMP_NUM_THREADS": "\(threads)", "MKL_NUM_THREADS": "\(threads)"])
        as? [String: Any] ?? [:]
    for s in shapes {
        let (l, k, v) = (s[0], s[1], s[2])
        let c = BertConfig(vocabSize: v, hiddenSize: k, numHiddenLayers: l, numAttentionHeads: max(1, k / 32),
                           intermediateSize: 4 * k)
        let model = SentenceEncoder(encoder: TransformerEncoder(config: c, pooler: false, seed: 1), normalize: false)
        model.encoder.dropout.p = 0
        for t in [52, 90] {
            var rng = Xoshiro256(seed: UInt64(t))
            let ids = [2] + (0..<(t - 2)).map { _ in 5 + rng.nextInt(below: v - 5) } + [3]
            let input = EncoderInput(sequences: [ids])
            let secs = withNoGrad { measure(warmup: 3, minRounds: repeats, minTime: 0) { _ = model(input) } }
            let key = "\(l)x\(k)x\(v)@\(t)"
            ctx.record(BenchRow(case: "L\(l) k\(k) V\(v) batch 1 @\(t)", swift: secs * 1e3,
                                peer: (peer[key] as? Double).map { $0 * 1e3 }, peerName: "PyTorch BertModel",
                                unit: "ms", higherIsBetter: false, threads: threads))
        }
    }
}
