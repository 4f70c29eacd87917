// ColBERT as the Margin-MSE authors implemented it (§2.5): a shared encoder, every token vector through a Linear
// (H→H, no size reduction, no L2 normalisation), and late interaction s = Σ_i max_j q̂_i·p̂_j.
// Query augmentation: 8 [MASK] tokens (id 103) appended to every query after its [SEP], attention mask 1; they take part
// in the sum. Masking: padded passage tokens are set to −1000 before the max; padded query rows are zeroed before
// the sum. [CLS] and [SEP] take part. Passage token vectors can be cached (|T| vectors per passage).
//
// Letters: N pairs, Q = query length with [MASK]s, P passage length, H hidden.

import Foundation
import Tensors

public final class ColBERT: EncoderRanker, @unchecked Sendable {
    public static let architecture = "colbert"
    public let encoder: TransformerEncoder
    public let compressor: Linear           // [H,H]
    public var limits: InputLimits
    public let specials: SpecialTokens
    public let queryMaskTokens: Int

    public init(encoder: TransformerEncoder, compressor: Linear? = nil, queryMaskTokens: Int = 8,
                limits: InputLimits = .init(), specials: SpecialTokens = .bert, seed: UInt64 = 2) {
        var rng = Xoshiro256(seed: seed)
        let h = encoder.hiddenSize
        self.encoder = encoder
        self.compressor = compressor ?? Linear(inFeatures: h, outFeatures: h, rng: &rng)
        self.queryMaskTokens = queryMaskTokens
        self.limits = limits
        self.specials = specials
    }

    public var characteristics: RankerCharacteristics {
        let h = compressor.outFeatures
        return RankerCharacteristics(interaction: "m·n dot products", passageCache: true, nnIndex: true,
                                     storageUnit: "|T|", floatsPerPassage: { tokens in (tokens + 2) * h })
    }

    public var parameters: [NamedParameter] {
        var p = ParameterList()
        p.add(prefix: "", encoder.parameters.filter { !$0.name.hasPrefix("pooler.") })
        p.add(prefix: "compressor", compressor.parameters)
        return p.items
    }

    /// Token vectors [N,S,H] and the input (for its mask), of queries (with [MASK]s) or passages.
    public func encode(_ texts: [[Int]], isQuery: Bool) -> (vectors: Tensor, input: EncoderInput) {
        let seqs = texts.map { ids -> [Int] in
            isQuery ? wrapped(limits.query(ids), specials) + [Int](repeating: specials.mask, count: queryMaskTokens)
                    : wrapped(limits.passage(ids), specials)
        }
        let input = EncoderInput(sequences: seqs, padId: specials.pad)
        return (compressor(encoder(input)), input)
    }

    public func score(_ pairs: [RankerPair]) -> Tensor {
        let (q, qIn) = encode(pairs.map(\.query), isQuery: true)          // [N,Q,H]
        let (p, pIn) = encode(pairs.map(\.passage), isQuery: false)       // [N,P,H]
        return lateInteraction(q, qIn, p, pIn)
    }

    /// s = Σ_i max_j q̂_i·p̂_j with the masks: scores [N] from q [N,Q,H] and p [N,P,H].
    func lateInteraction(_ q: Tensor, _ qIn: EncoderInput, _ p: Tensor, _ pIn: EncoderInput) -> Tensor {
        let n = q.shape[0]
        let sim = q.matmul(p, transposeB: true)                           // [N,Q,P]
        let passagePad = Tensor(shape: [n, 1, pIn.length], scalars: pIn.mask.map { $0 != 0 ? 0 : 1 })
        let best = sim.maskedFill(passagePad, value: -1000).max(axis: 2)  // [N,Q]
        let queryMask = Tensor(shape: [n, qIn.length], scalars: qIn.mask)
        return (best * queryMask).sum(axis: 1)                            // [N]
    }

    public func save(to folder: URL) throws {
        try saveRanker(self, encoders: ["encoder": encoder], heads: ["compressor": compressor],
                       options: ["queryMaskTokens": String(queryMaskTokens)], to: folder)
    }
}
