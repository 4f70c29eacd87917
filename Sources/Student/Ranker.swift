// The Ranker protocol: what every ranking architecture provides, so that the trainer, the evaluation drivers and the
// experiment grid work with any of them. Adding an architecture = one file with a type conforming to `Ranker`, plus
// `RankerRegistry.register` at start-up, from the package or from outside it (see Docs/AddingARanker.md).
//
// Rankers take word-piece ids *without* special tokens; each architecture builds its own inputs ([CLS]/[SEP], the
// ColBERT [MASK] augmentation, PreTT's split inputs) from `SpecialTokens`. Scores are raw and unbounded (no sigmoid):
// Margin-MSE fixes only their differences.

import Foundation
import Tensors

/// The ids of BERT's special tokens (bert-base-uncased: [PAD] 0, [UNK] 100, [CLS] 101, [SEP] 102, [MASK] 103).
public struct SpecialTokens: Sendable, Equatable, Codable {
    public var pad = 0, unk = 100, cls = 101, sep = 102, mask = 103
    public init(pad: Int = 0, unk: Int = 100, cls: Int = 101, sep: Int = 102, mask: Int = 103) {
        self.pad = pad; self.unk = unk; self.cls = cls; self.sep = sep; self.mask = mask
    }
    public static let bert = SpecialTokens()
}

/// A query–passage pair of word-piece ids (no special tokens).
public struct RankerPair: Sendable, Equatable {
    public let query: [Int]
    public let passage: [Int]
    public init(query: [Int], passage: [Int]) { self.query = query; self.passage = passage }
}

/// Input lengths in word pieces, special tokens excluded (Margin-MSE: query 30, passage 200).
public struct InputLimits: Sendable, Equatable, Codable {
    public var maxQueryLength = 30
    public var maxPassageLength = 200
    public init(maxQueryLength: Int = 30, maxPassageLength: Int = 200) {
        self.maxQueryLength = maxQueryLength; self.maxPassageLength = maxPassageLength
    }
    /// The query cut to `maxQueryLength` word pieces.
    public func query(_ ids: [Int]) -> [Int] { Array(ids.prefix(maxQueryLength)) }
    /// The passage cut to `maxPassageLength` word pieces.
    public func passage(_ ids: [Int]) -> [Int] { Array(ids.prefix(maxPassageLength)) }
}

/// What the paper's model-characteristics table (Table A) says about an architecture.
public struct RankerCharacteristics: Sendable, Equatable {
    /// How query and passage meet, e.g. "all transformer layers", "single dot product".
    public let interaction: String
    /// Whether passage representations can be computed offline and cached.
    public let passageCache: Bool
    /// Whether a nearest-neighbour index can serve the architecture.
    public let nnIndex: Bool
    /// "|P|" (one vector per passage), "|T|" (one per token) or "–".
    public let storageUnit: String
    /// Floats stored per passage of `tokens` word pieces (0 when nothing is cached).
    public let floatsPerPassage: @Sendable (_ tokens: Int) -> Int

    public init(interaction: String, passageCache: Bool, nnIndex: Bool, storageUnit: String,
                floatsPerPassage: @escaping @Sendable (_ tokens: Int) -> Int) {
        self.interaction = interaction; self.passageCache = passageCache; self.nnIndex = nnIndex
        self.storageUnit = storageUnit; self.floatsPerPassage = floatsPerPassage
    }
    public static func == (a: Self, b: Self) -> Bool {
        a.interaction == b.interaction && a.passageCache == b.passageCache && a.nnIndex == b.nnIndex
            && a.storageUnit == b.storageUnit
    }
}

public protocol Ranker: AnyObject, Sendable {
    /// The architecture's name in the registry and in saved folders ("bert-cat", "bert-dot", "colbert", "prett", "tk").
    static var architecture: String { get }
    var characteristics: RankerCharacteristics { get }
    var limits: InputLimits { get set }
    var specials: SpecialTokens { get }
    /// Trainable parameters, named; the encoder's carry Hugging Face names.
    var parameters: [NamedParameter] { get }
    /// Dropout on (training) or off.
    var training: Bool { get set }
    /// Every dropout layer of the ranker. The trainer reseeds them at each step from the step's seed, so that a run
    /// killed and resumed draws the same masks and ends with the same weights; a ranker with none returns [].
    var dropoutLayers: [Dropout] { get }
    /// Scores [N] of N query–passage pairs, differentiable with respect to `parameters`.
    func score(_ pairs: [RankerPair]) -> Tensor
    /// Scores of one query against its candidate passages, without building a graph: the same scores as `score` on
    /// the pairs, bit for bit. `memo` holds passage representations of this ranker with its present weights; a
    /// ranker that encodes a passage on its own (BERT_DOT) takes them from it and adds the ones it computes, the
    /// others ignore it. Implemented by the extension below; a ranker overrides it only to compute less.
    func rerank(query: [Int], passages: [[Int]], grouping: LengthGrouping, memo: PassageVectorMemo?) -> [Float]
    /// Writes the ranker into `folder` (encoder in Hugging Face layout + `ranker.json` + head weights).
    func save(to folder: URL) throws
}

/// A ranker on one `TransformerEncoder` whose dropout is its only one (BERT_CAT, BERT_DOT, ColBERT, PreTT): it gets
/// `dropoutLayers` and `training` from the encoder.
public protocol EncoderRanker: Ranker {
    var encoder: TransformerEncoder { get }
}

extension EncoderRanker {
    public var dropoutLayers: [Dropout] { [encoder.dropout] }
    public var training: Bool {
        get { encoder.dropout.training }
        set { encoder.dropout.training = newValue }
    }
}

extension Ranker {
    public var architecture: String { Self.architecture }

    /// Scores for one query against its candidate passages, in length groups (`LengthGrouping`), without building a
    /// graph; the weights are packed once for all groups (`Kernels.withPackedWeights`; bit-identical).
    public func rerank(query: [Int], passages: [[Int]], grouping: LengthGrouping = LengthGrouping()) -> [Float] {
        rerank(query: query, passages: passages, grouping: grouping, memo: nil)
    }

    /// Every pair scored by `score(_:grouping:)`; `memo` is not used.
    public func rerank(query: [Int], passages: [[Int]], grouping: LengthGrouping, memo: PassageVectorMemo?) -> [Float] {
        guard !passages.isEmpty else { return [] }
        return withNoGrad { Kernels.withPackedWeights {
            score(passages.map { RankerPair(query: query, passage: $0) }, grouping: grouping).scalars
        } }
    }

    /// Number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.tensor.count } }
}

/// Builds `[CLS] ids [SEP]` sequences.
/// `[CLS] ids [SEP]`: one text as a BERT encoder reads it.
public func wrapped(_ ids: [Int], _ s: SpecialTokens) -> [Int] { [s.cls] + ids + [s.sep] }
