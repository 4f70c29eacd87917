// BERT_CAT, the cross-encoder (Margin-MSE §2.5): `[CLS] q [SEP] p [SEP]` (token types 0 then 1) through all layers,
// score = w·v + b with v the last-layer [CLS] vector (DistilBERT style) or the pooler output (BERT/ALBERT style).
// Every query–passage pair needs a full encoder pass: nothing can be cached. The teachers (T1, T2) are BERT_CATs.
//
// Letters: N pairs, S = |q| + |p| + 3, H hidden.

import Foundation
import Tensors

public final class BertCat: EncoderRanker, @unchecked Sendable {
    public static let architecture = "bert-cat"
    public let encoder: TransformerEncoder
    public let head: Linear                  // [1,H]
    public let usePooler: Bool
    public var limits: InputLimits
    public let specials: SpecialTokens

    public init(encoder: TransformerEncoder, head: Linear? = nil, usePooler: Bool = false, limits: InputLimits = .init(),
                specials: SpecialTokens = .bert, seed: UInt64 = 1) {
        precondition(!usePooler || encoder.pooler != nil, "usePooler needs an encoder with a pooler")
        var rng = Xoshiro256(seed: seed)
        self.encoder = encoder
        self.head = head ?? Linear(inFeatures: encoder.hiddenSize, outFeatures: 1, rng: &rng)
        self.usePooler = usePooler
        self.limits = limits
        self.specials = specials
    }

    public var characteristics: RankerCharacteristics {
        RankerCharacteristics(interaction: "All TF layers", passageCache: false, nnIndex: false, storageUnit: "–",
                              floatsPerPassage: { _ in 0 })
    }

    public var parameters: [NamedParameter] {
        var p = ParameterList()
        p.add(prefix: "", encoder.parameters.filter { usePooler || !$0.name.hasPrefix("pooler.") })
        p.add(prefix: "head", head.parameters)
        return p.items
    }

    /// The pair input: `[CLS] q [SEP] p [SEP]`, token types 0 for `[CLS] q [SEP]` and 1 for `p [SEP]`.
    public func input(_ pairs: [RankerPair]) -> EncoderInput {
        var seqs: [[Int]] = [], types: [[Int]] = []
        for pair in pairs {
            let q = wrapped(limits.query(pair.query), specials), p = limits.passage(pair.passage) + [specials.sep]
            seqs.append(q + p)
            types.append([Int](repeating: 0, count: q.count) + [Int](repeating: 1, count: p.count))
        }
        return EncoderInput(sequences: seqs, tokenTypes: types, padId: specials.pad)
    }

    public func score(_ pairs: [RankerPair]) -> Tensor {
        let first = encoder.firstTokenStates(input(pairs))                        // [N,H], the last layer at [CLS] only
        let v = usePooler ? encoder.pooled(firstToken: first) : first             // [N,H]
        return head(v).reshaped([pairs.count])                                    // [N]
    }

    public func save(to folder: URL) throws {
        try saveRanker(self, encoders: ["encoder": encoder], heads: ["head": head],
                       options: ["usePooler": usePooler ? "true" : "false"], to: folder)
    }
}
