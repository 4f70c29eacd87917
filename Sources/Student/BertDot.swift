// BERT_DOT, the bi-encoder (Margin-MSE §2.5): one shared encoder; q̂ = enc([CLS] q [SEP])[CLS], p̂ = enc([CLS] p
// [SEP])[CLS], no projection; score = q̂·p̂ (dot product, not cosine). Passage vectors can be cached and served by a
// nearest-neighbour index (Table E: dense retrieval).
//
// Two options make the same class the sentence-transformers bi-encoder (all-MiniLM-L6-v2's own scoring): `pooling:
// .mean` (the mean of the token states over the attention mask instead of [CLS]) and `cosine: true` (unit-length
// vectors, so the dot product is the cosine). The paper's BERT_DOT is the default, [CLS] and dot product; the options
// are saved in `ranker.json` only when they differ from it, so folders saved before they existed load unchanged.
//
// Letters: N pairs, Sq / Sp query / passage lengths, H hidden.

import Foundation
import Tensors

public final class BertDot: EncoderRanker, @unchecked Sendable {
    public static let architecture = "bert-dot"
    public let encoder: TransformerEncoder
    public var limits: InputLimits
    public let specials: SpecialTokens
    /// How token states become one vector: `.cls` (the paper's) or `.mean` (sentence-transformers').
    public let pooling: SentenceEncoder.Pooling
    /// Unit-length vectors (score = cosine) instead of raw ones (score = dot product, the paper's).
    public let cosine: Bool

    public init(encoder: TransformerEncoder, limits: InputLimits = .init(), specials: SpecialTokens = .bert,
                pooling: SentenceEncoder.Pooling = .cls, cosine: Bool = false) {
        precondition(pooling != .max, "BERT_DOT pools by [CLS] or by the mean")
        self.encoder = encoder; self.limits = limits; self.specials = specials
        self.pooling = pooling; self.cosine = cosine
    }

    /// The options `ranker.json` records: only those that differ from the paper's BERT_DOT.
    public var options: [String: String] {
        var o: [String: String] = [:]
        if pooling != .cls { o["pooling"] = pooling.rawValue }
        if cosine { o["similarity"] = "cosine" }
        return o
    }

    /// Reads `options` back (unknown values are an error naming them).
    static func configuration(_ options: [String: String]) throws -> (SentenceEncoder.Pooling, Bool) {
        let pooling: SentenceEncoder.Pooling
        switch options["pooling"] ?? "cls" {
        case "cls": pooling = .cls
        case "mean": pooling = .mean
        case let other: throw RankerError("BERT_DOT option pooling = \"\(other)\": expected \"cls\" or \"mean\"")
        }
        switch options["similarity"] ?? "dot" {
        case "dot": return (pooling, false)
        case "cosine": return (pooling, true)
        case let other: throw RankerError("BERT_DOT option similarity = \"\(other)\": expected \"dot\" or \"cosine\"")
        }
    }

    public var characteristics: RankerCharacteristics {
        let h = encoder.hiddenSize
        return RankerCharacteristics(interaction: "Single dot product", passageCache: true, nnIndex: true,
                                     storageUnit: "|P|", floatsPerPassage: { _ in h })
    }

    public var parameters: [NamedParameter] { encoder.parameters.filter { !$0.name.hasPrefix("pooler.") } }

    /// [CLS] (or mean-pooled, optionally unit-length) vectors [N,H] of queries (or passages): the dense representations.
    public func encode(_ texts: [[Int]], isQuery: Bool) -> Tensor {
        let seqs = texts.map { wrapped(isQuery ? limits.query($0) : limits.passage($0), specials) }
        let input = EncoderInput(sequences: seqs, padId: specials.pad)
        // [CLS] pooling needs the last layer at [CLS] only (`firstTokenStates`); the mean needs every token's state.
        let v = pooling == .cls ? encoder.firstTokenStates(input)                                  // [N,H]
            : SentenceEncoder.pool(encoder(input), input: input, mode: pooling)
        return cosine ? v.l2Normalized() : v
    }

    public func score(_ pairs: [RankerPair]) -> Tensor {
        let q = encode(pairs.map(\.query), isQuery: true)          // [N,H]
        let p = encode(pairs.map(\.passage), isQuery: false)       // [N,H]
        return (q * p).sum(axis: 1)                                 // [N]
    }

    public func save(to folder: URL) throws {
        try saveRanker(self, encoders: ["encoder": encoder], heads: [:], options: options, to: folder)
    }
}
