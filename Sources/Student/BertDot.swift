// BERT_DOT, the bi-encoder (Margin-MSE §2.5): one shared encoder; q̂ = enc([CLS] q [SEP])[CLS], p̂ = enc([CLS] p
// [SEP])[CLS], no projection; score = q̂·p̂ (dot product, not cosine). Passage vectors can be cached and served by a
// nearest-neighbour index (Table E: dense retrieval).
//
// Letters: N pairs, Sq / Sp query / passage lengths, H hidden.

import Foundation
import Tensors

public final class BertDot: Ranker, @unchecked Sendable {
    public static let architecture = "bert-dot"
    public let encoder: TransformerEncoder
    public var limits: InputLimits
    public let specials: SpecialTokens

    public init(encoder: TransformerEncoder, limits: InputLimits = .init(), specials: SpecialTokens = .bert) {
        self.encoder = encoder; self.limits = limits; self.specials = specials
    }

    public var characteristics: RankerCharacteristics {
        let h = encoder.hiddenSize
        return RankerCharacteristics(interaction: "Single dot product", passageCache: true, nnIndex: true,
                                     storageUnit: "|P|", floatsPerPassage: { _ in h })
    }

    public var parameters: [NamedParameter] { encoder.parameters.filter { !$0.name.hasPrefix("pooler.") } }

    public var training: Bool {
        get { encoder.dropout.training }
        set { encoder.dropout.training = newValue }
    }

    /// [CLS] vectors [N,H] of queries (or passages): the dense representations.
    public func encode(_ texts: [[Int]], isQuery: Bool) -> Tensor {
        let seqs = texts.map { wrapped(isQuery ? limits.query($0) : limits.passage($0), specials) }
        return encoder(EncoderInput(sequences: seqs, padId: specials.pad)).select(axis: 1, index: 0)
    }

    public func score(_ pairs: [RankerPair]) -> Tensor {
        let q = encode(pairs.map(\.query), isQuery: true)          // [N,H]
        let p = encode(pairs.map(\.passage), isQuery: false)       // [N,H]
        return (q * p).sum(axis: 1)                                 // [N]
    }

    public func save(to folder: URL) throws {
        try saveRanker(self, encoders: ["encoder": encoder], heads: [:], options: [:], to: folder)
    }
}
