// The encoder on packed tokens (`TransformerEncoder.packedTokens`, `BertLayer.packed`): the token-wise work on the
// T real tokens of a batch instead of the padded B·S. The hidden states at real tokens must be bit-identical to the
// padded computation (inference runs packed on that ground), padding rows zero, and every ranker built on the encoder
// must score and learn the same (gradients to float rounding).

import Testing
import RankerTesting
import Tensors
import PropertyTesting
@testable import Student

@Suite struct PackedTokensTests {
    @Test func hiddenStatesAtRealTokensEqualThePaddedOnesAndPaddingIsZero() {
        let encoder = Tiny.encoder(seed: 41)
        let seqs = Gen<[[Int]]>.array(of: Gen<[Int]>.array(of: .int(in: 5...39), count: 0...14)
                                        .map { [Tiny.specials.cls] + $0 + [Tiny.specials.sep] }, count: 1...6)
        propertyCheck(seqs, cases: 25) { sequences in
            let input = EncoderInput(sequences: sequences)
            // The padded computation spelled out (inference itself runs packed), against the packed one, and against
            // what inference returns.
            let padded = withNoGrad { encoder.runLayers(encoder.embed(input), mask: TransformerEncoder.attentionMask(input)) }
            let packed = withNoGrad { encoder.packedStates(input) }
            let inference = withNoGrad { encoder(input) }
            try require(inference.scalars == packed.scalars, "inference does not run packed")
            try require(packed.shape == padded.shape, "\(packed.shape) vs \(padded.shape)")
            let h = encoder.hiddenSize
            for i in 0..<(input.batch * input.length) {
                for j in 0..<h {
                    let a = packed[flat: i * h + j], b = padded[flat: i * h + j]
                    if input.mask[i] == 0 {
                        try require(a == 0, "padding row \(i) is \(a), not 0")
                    } else {
                        try require(a == b, "row \(i) column \(j): \(a) packed, \(b) padded")
                    }
                }
            }
        }
    }

    @Test(arguments: RankerRegistry.builtIn.map(\.architecture))
    func everyRankerScoresAndLearnsTheSame(_ arch: String) throws {
        let ranker = Tiny.rankers(seed: 43).first { $0.architecture == arch }!
        guard let encoderRanker = ranker as? any EncoderRanker else { return }   // no BERT encoder (TK's own)
        let pairs = [RankerPair(query: [5, 9, 12], passage: [7, 9, 20, 31, 5, 6, 7, 8, 9, 10, 11]),
                     RankerPair(query: [14], passage: [6, 33]),
                     RankerPair(query: [14, 6, 7], passage: [6, 33, 18, 22, 11]),
                     RankerPair(query: [8], passage: [30])]
        let weights = Tensor(shape: [4], scalars: [1, -2, 0.5, 3])
        func run(packed: Bool) -> (scores: [Float], gradients: [[Float]]) {
            encoderRanker.encoder.packedTokens = packed
            defer { encoderRanker.encoder.packedTokens = false }
            for p in ranker.parameters { p.tensor.grad = nil }
            let s = withGrad { ranker.score(pairs) }
            withGrad { (s * weights).sum().backward() }
            return (s.scalars, ranker.parameters.map { $0.tensor.grad?.scalars ?? [] })
        }
        let padded = run(packed: false), packed = run(packed: true)
        for (a, b) in zip(packed.scores, padded.scores) {
            #expect(abs(a - b) <= 1e-5 * max(1, abs(b)), "\(arch): score \(a) vs \(b)")
        }
        for (name, (a, b)) in zip(ranker.parameters.map(\.name), zip(packed.gradients, padded.gradients)) {
            #expect(a.count == b.count, "\(arch) \(name)")
            let worst = zip(a, b).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
            #expect(worst < 1e-4, "\(arch) \(name): gradients differ by \(worst)")
        }
    }
}

@Suite struct InferenceMemoryTests {
    @Test func aLayerFreesItsIntermediatesAsItGoes() {
        // A 1-layer encoder of MiniLM's width on 32 sequences of 62–90 tokens (T = 2,393 real tokens), no gradient:
        // the largest tensors are the feed-forward block's [T, 1536] (15 MB) and attention's scores [32, 12, 90, 90]
        // (12 MB). Each freed as the next is made, and GELU and the softmax written over their inputs, the layer holds
        // 32 MB at once (both kernels); with two [T, 1536] and two score buffers, 45 MB; kept to the end of each
        // function — scores, probabilities, queries, keys, values and the three embedding lookups still held during
        // the feed-forward block — 101 MB. Best of three tries: other tests allocate in this process at once.
        let c = BertConfig(vocabSize: 1000, hiddenSize: 384, numHiddenLayers: 1, numAttentionHeads: 12,
                           intermediateSize: 1536, maxPositionEmbeddings: 128)
        let encoder = TransformerEncoder(config: c, pooler: false, seed: 1)
        let input = EncoderInput(sequences: (0..<32).map { i in [101] + (0..<(60 + i % 29)).map { 200 + ($0 * 7 + i) % 700 } + [102] },
                                 padId: 0)
        let peaks = (0..<3).map { _ in WorkingMemory.peakGrowth { _ = withNoGrad { encoder(input) } } }
        #expect(peaks.min()! < 40 << 20, "\(peaks)")
    }
}
