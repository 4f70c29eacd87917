// PreTT (MacAvaney et al. 2020) as the Margin-MSE authors implemented it (§2.5): the encoder is split at layer b.
// Layers 0..<b run separately on the query `[CLS] q [SEP]` and on the passage `p [SEP]` (the passage's own [CLS] is
// dropped); layers b..<L run on the concatenation [q; p]. Passage position ids continue after the query: here they
// start at the padded query width, maxQueryLength + 2, for every pair, so that the passage's first b layers do not
// depend on the query and can be cached offline exactly (which is what PreTT is for), and a score does not depend on
// how a batch was padded.
// Token types: 0 for the query part, 1 for the passage part (BERT's pair convention; the paper's DistilBERT has none).
// Score = Linear(H→1, no bias) on position 0 of the last layer (the query's [CLS]).
// The passage's first b layers can be computed offline and cached (|T| vectors per passage).
//
// Letters: N pairs, Q query length, P passage length, H hidden.

import Foundation
import Tensors

public final class PreTT: EncoderRanker, @unchecked Sendable {
    public static let architecture = "prett"
    public let encoder: TransformerEncoder
    public let head: Linear                 // [1,H], no bias
    public let splitLayer: Int              // b
    public var limits: InputLimits
    public let specials: SpecialTokens

    public init(encoder: TransformerEncoder, splitLayer: Int, head: Linear? = nil, limits: InputLimits = .init(),
                specials: SpecialTokens = .bert, seed: UInt64 = 3) {
        precondition(splitLayer >= 1 && splitLayer < encoder.layers.count,
                     "PreTT split layer \(splitLayer) must be in 1..<\(encoder.layers.count)")
        var rng = Xoshiro256(seed: seed)
        self.encoder = encoder
        self.splitLayer = splitLayer
        self.head = head ?? Linear(inFeatures: encoder.hiddenSize, outFeatures: 1, bias: false, rng: &rng)
        self.limits = limits
        self.specials = specials
    }

    public var characteristics: RankerCharacteristics {
        let h = encoder.hiddenSize, b = splitLayer
        return RankerCharacteristics(interaction: "Min. 1 TF layer (here \(encoder.layers.count - b))", passageCache: true,
                                     nnIndex: false, storageUnit: "|T|", floatsPerPassage: { tokens in (tokens + 1) * h })
    }

    public var parameters: [NamedParameter] {
        var p = ParameterList()
        p.add(prefix: "", encoder.parameters.filter { !$0.name.hasPrefix("pooler.") })
        p.add(prefix: "head", head.parameters)
        return p.items
    }

    /// Where passage positions start: the padded query width `[CLS] q [SEP]` at the longest query.
    public var passagePositionOffset: Int { limits.maxQueryLength + 2 }

    /// The passage's cacheable representation: hidden states [N,P,H] after layers 0..<b, with its input.
    public func passageStates(_ passages: [[Int]]) -> (Tensor, EncoderInput) {
        let seqs = passages.map { limits.passage($0) + [specials.sep] }
        let input = EncoderInput(sequences: seqs, tokenTypes: seqs.map { [Int](repeating: 1, count: $0.count) },
                                 padId: specials.pad)
        var positions = [Int](repeating: 0, count: input.batch * input.length)
        for b in 0..<input.batch { for s in 0..<input.length { positions[b * input.length + s] = passagePositionOffset + s } }
        let h = encoder.runLayers(encoder.embed(input, positionIds: positions),
                                  mask: TransformerEncoder.attentionMask(input), range: 0..<splitLayer)
        return (h, input)
    }

    public func score(_ pairs: [RankerPair]) -> Tensor {
        let qSeqs = pairs.map { wrapped(limits.query($0.query), specials) }
        let qIn = EncoderInput(sequences: qSeqs, padId: specials.pad)
        let q = encoder.runLayers(encoder.embed(qIn), mask: TransformerEncoder.attentionMask(qIn),
                                  range: 0..<splitLayer)                                     // [N,Q,H]
        let (p, pIn) = passageStates(pairs.map(\.passage))                                   // [N,P,H]
        return joinedScore(q, qIn, p, pIn)
    }

    /// Layers b..<L on [q; p] and the head: scores [N] from query states [N,Q,H] and passage states [N,P,H].
    func joinedScore(_ q: Tensor, _ qIn: EncoderInput, _ p: Tensor, _ pIn: EncoderInput) -> Tensor {
        let joined = Tensor.concat([q, p], axis: 1)                                           // [N,Q+P,H]
        let n = q.shape[0], total = qIn.length + pIn.length
        var keep = [Float](repeating: 0, count: n * total)
        for b in 0..<n {
            for s in 0..<qIn.length { keep[b * total + s] = qIn.mask[b * qIn.length + s] }
            for s in 0..<pIn.length { keep[b * total + qIn.length + s] = pIn.mask[b * pIn.length + s] }
        }
        let mask = Tensor(shape: [n, 1, 1, total], scalars: keep.map { $0 != 0 ? 0 : -Float.infinity })
        let top = encoder.runLayersToFirstToken(joined, mask: mask, range: splitLayer..<encoder.layers.count)  // [N,H]
        return head(top).reshaped([n])                                                          // [N]
    }

    public func save(to folder: URL) throws {
        try saveRanker(self, encoders: ["encoder": encoder], heads: ["head": head],
                       options: ["splitLayer": String(splitLayer)], to: folder)
    }
}
