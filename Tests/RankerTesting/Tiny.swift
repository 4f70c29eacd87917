// Tiny rankers for tests: a small random BERT (vocabulary 40, hidden 16), every built-in architecture on it with the
// tiny vocabulary's special ids, and random word-piece pairs. Test support shared by the Student and MarginMSE tests
// (as PropertyTesting is), not a module of the package.

import Tensors
import PropertyTesting
import Student

public enum Tiny {
    /// A small BERT: vocab 40, hidden 16, 3 layers, 2 heads, intermediate 32, 80 positions.
    public static func encoder(seed: UInt64 = 7, layers: Int = 3) -> TransformerEncoder {
        let c = BertConfig(vocabSize: 40, hiddenSize: 16, numHiddenLayers: layers, numAttentionHeads: 2,
                           intermediateSize: 32, hiddenAct: "gelu", maxPositionEmbeddings: 80, typeVocabSize: 2,
                           layerNormEps: 1e-12, padTokenId: 0, modelType: "bert", positionEmbeddingType: "absolute")
        return TransformerEncoder(config: c, seed: seed)
    }
    public static let specials = SpecialTokens(pad: 0, unk: 1, cls: 2, sep: 3, mask: 4)
    public static let limits = InputLimits(maxQueryLength: 6, maxPassageLength: 12)

    public static func rankers(seed: UInt64 = 7) -> [any Ranker] {
        let t = encoder(seed: seed)
        let r = StudentRecipe(keepLayers: [0, 2], limits: limits, seed: seed)
        var out = RankerRegistry.builtIn.map { try! $0.make(t, r) }
        // The registry's factories use BERT's special ids; rebuild with the tiny vocabulary's.
        out = out.map { rebuild($0) }
        return out
    }

    public static func rebuild(_ r: any Ranker) -> any Ranker {
        switch r {
        case let x as BertCat: return BertCat(encoder: x.encoder, head: x.head, limits: limits, specials: specials)
        case let x as BertDot: return BertDot(encoder: x.encoder, limits: limits, specials: specials)
        case let x as ColBERT: return ColBERT(encoder: x.encoder, compressor: x.compressor, limits: limits, specials: specials)
        case let x as PreTT: return PreTT(encoder: x.encoder, splitLayer: x.splitLayer, head: x.head, limits: limits, specials: specials)
        case let x as TK: return TK(wordEmbeddings: x.wordEmbeddings, layers: x.layers, heads: 2, mixer: x.mixer,
                                    kernelScaler: x.kernelScaler, dense: x.dense, limits: limits, specials: specials)
        default: fatalError("unknown ranker")
        }
    }

    /// Random word-piece sequences over the non-special ids 5..<40.
    public static func pairs(count: ClosedRange<Int> = 1...4) -> Gen<[RankerPair]> {
        let ids = Gen<Int>.int(in: 5...39)
        let pair = Gen<(([Int], [Int]))>.zip(Gen<[Int]>.array(of: ids, count: 1...8), Gen<[Int]>.array(of: ids, count: 1...14))
            .map { RankerPair(query: $0.0, passage: $0.1) }
        return Gen<[RankerPair]>.array(of: pair, count: count)
    }
}
