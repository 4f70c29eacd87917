// The last layer computed at [CLS] only (`TransformerEncoder.firstTokenStates`, `BertLayer.firstToken`): what
// BERT_CAT, BERT_DOT and PreTT read of the last layer. Its values must be the full encoder's row 0 bit for bit —
// padded and packed, with and without a gradient recorded — and its gradients the full layer's to float rounding:
// every token still reaches [CLS] through the last layer's keys and values.

import Testing
import RankerTesting
import Tensors
import PropertyTesting
@testable import Student

@Suite struct FirstTokenTests {
    static var sequences: Gen<[[Int]]> { Gen<[[Int]]>.array(of: Gen<[Int]>.array(of: .int(in: 5...39), count: 0...14)
                                                .map { [Tiny.specials.cls] + $0 + [Tiny.specials.sep] }, count: 1...6) }

    /// Row 0 of every sequence of the full encoder's last hidden states [B,S,H] → [B,H].
    static func fullFirstRows(_ encoder: TransformerEncoder, _ input: EncoderInput) -> Tensor {
        encoder(input).select(axis: 1, index: 0)
    }

    @Test func firstTokenStatesAreTheFullEncodersRowZeroBitForBit() {
        let encoder = Tiny.encoder(seed: 51)
        propertyCheck(Self.sequences, cases: 25) { sequences in
            let input = EncoderInput(sequences: sequences)
            for packed in [false, true] {
                encoder.packedTokens = packed
                defer { encoder.packedTokens = false }
                // Inference (packed whatever `packedTokens` says), and the training forward (padded unless packed).
                let inference = withNoGrad { (encoder.firstTokenStates(input), Self.fullFirstRows(encoder, input)) }
                let training = withGrad { (encoder.firstTokenStates(input), Self.fullFirstRows(encoder, input)) }
                for (mode, (first, full)) in [("inference", inference), ("training", training)] {
                    try require(first.shape == [input.batch, encoder.hiddenSize], "\(mode): shape \(first.shape)")
                    try require(first.scalars == full.scalars,
                                "\(mode), packedTokens \(packed): largest gap \(zip(first.scalars, full.scalars).map { abs($0 - $1) }.max()!)")
                }
            }
        }
    }

    @Test func runLayersToFirstTokenMatchesRunLayersOnEveryRange() {
        let encoder = Tiny.encoder(seed: 52, layers: 3)
        let input = EncoderInput(sequences: [[2, 9, 14, 3], [2, 7, 3], [2, 30, 31, 32, 33, 34, 3]])
        let x = withNoGrad { encoder.embed(input) }, mask = TransformerEncoder.attentionMask(input)
        for range in [0..<3, 1..<3, 2..<3, 0..<1, 1..<1] {
            let first = withNoGrad { encoder.runLayersToFirstToken(x, mask: mask, range: range) }
            let full = withNoGrad { encoder.runLayers(x, mask: mask, range: range).select(axis: 1, index: 0) }
            #expect(first.scalars == full.scalars, "layers \(range)")
        }
    }

    @Test func gradientsAreTheFullLayersToRounding() {
        let encoder = Tiny.encoder(seed: 53)
        let input = EncoderInput(sequences: [[2, 9, 14, 20, 21, 3], [2, 7, 3], [2, 30, 31, 32, 33, 34, 35, 36, 3]])
        var rng = Xoshiro256(seed: 54)
        let weights = Tensor.randomNormal([3, encoder.hiddenSize], rng: &rng)
        func gradients(_ states: () -> Tensor) -> [String: [Float]] {
            for p in encoder.parameters { p.tensor.grad = nil }
            withGrad { (states() * weights).sum().backward() }
            return Dictionary(uniqueKeysWithValues: encoder.parameters.map { ($0.name, $0.tensor.grad?.scalars ?? []) })
        }
        for packed in [false, true] {
            encoder.packedTokens = packed
            defer { encoder.packedTokens = false }
            let first = gradients { encoder.firstTokenStates(input) }
            let full = gradients { Self.fullFirstRows(encoder, input) }
            for (name, b) in full.sorted(by: { $0.key < $1.key }) {
                let a = first[name]!
                #expect(a.count == b.count, "\(name)")
                let worst = zip(a, b).map { abs($0 - $1) / max(1e-3, abs($1)) }.max() ?? 0
                #expect(worst < 1e-4, "packedTokens \(packed), \(name): gradients differ by \(worst)")
            }
            // Every token reaches [CLS] through the last layer's keys and values: their weights learn.
            let lastKey = first["encoder.layer.2.attention.self.key.weight"]!
            #expect(lastKey.contains { $0 != 0 }, "the last layer's key weights got no gradient")
        }
    }
}
