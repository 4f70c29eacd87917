// TK, the Transformer-Kernel ranker (Hofstätter et al. 2020), as in matchmaker's `ecai20_tk.py` (Margin-MSE §2.5):
//   1. word embeddings (here: the teacher's word-piece embeddings, fine-tuned; the paper: GloVe 300-d);
//   2. contextualisation: embeddings + sinusoidal position features (queries from position 0, passages from 500),
//      through 2 post-LN transformer layers (ReLU feed-forward of width H, no dropout), then the hybrid
//      x̃ = α·emb + (1−α)·ctx with a learned scalar α (initialised 0.5), padding zeroed;
//   3. cosine match matrix M_ij = cos(q̃_i, p̃_j);
//   4. 11 RBF kernels, μ = 1.0, 0.9, 0.7, …, −0.9, σ = 0.1: K_k(i) = Σ_j exp(−(M_ij − μ_k)²/(2σ²))·pmask_j;
//   5. φ_k = Σ_i qmask_i · log(max(K_k(i)·a_k, 1e−10)), a_k a learned per-kernel scaler (initialised 1);
//   6. s = Σ_k w_k φ_k, w initialised U(−0.014, 0.014), no bias.
// Passage contextualised vectors can be cached (|T| per passage). Departures: word-piece vocabulary and the teacher's
// embeddings instead of GloVe; one learning rate for all parameters unless the trainer groups them.
//
// Letters: N pairs, Q query length, P passage length, H hidden, K = 11 kernels.

import Foundation
import Tensors

public final class TK: Ranker, @unchecked Sendable {
    public static let architecture = "tk"
    public static let mus: [Float] = [1.0, 0.9, 0.7, 0.5, 0.3, 0.1, -0.1, -0.3, -0.5, -0.7, -0.9]
    public static let sigma: Float = 0.1
    public static let passagePositionOffset = 500

    public let wordEmbeddings: Tensor        // [V,H]
    public let layers: [BertLayer]
    public let heads: Int
    public let mixer: Tensor                 // [1] α
    public let kernelScaler: Tensor          // [K] a
    public let dense: Linear                 // [1,K], no bias
    public var limits: InputLimits
    public let specials: SpecialTokens
    private let dropout = Dropout(p: 0)
    public var training = false
    /// TK has no dropout (its contextualiser runs with p = 0).
    public var dropoutLayers: [Dropout] { [] }

    public init(wordEmbeddings: Tensor, layers: [BertLayer], heads: Int, mixer: Tensor? = nil, kernelScaler: Tensor? = nil,
                dense: Linear? = nil, limits: InputLimits = .init(), specials: SpecialTokens = .bert) {
        precondition(wordEmbeddings.shape[1] % heads == 0, "TK hidden \(wordEmbeddings.shape[1]) must divide into \(heads) heads")
        var rng = Xoshiro256(seed: 4)
        self.wordEmbeddings = wordEmbeddings
        self.layers = layers
        self.heads = heads
        self.mixer = mixer ?? Tensor(shape: [1], scalars: [0.5])
        self.kernelScaler = kernelScaler ?? Tensor(repeating: 1, shape: [TK.mus.count])
        self.dense = dense ?? Linear(weight: .randomUniform([1, TK.mus.count], low: -0.014, high: 0.014, rng: &rng),
                                     bias: nil)
        self.limits = limits
        self.specials = specials
    }

    /// A TK on a teacher's word-piece embeddings (copied) with `layerCount` fresh contextualisation layers.
    public convenience init(embeddingsFrom encoder: TransformerEncoder, layerCount: Int = 2, heads: Int? = nil,
                            limits: InputLimits = .init(), seed: UInt64 = 5) {
        var rng = Xoshiro256(seed: seed)
        let h = encoder.hiddenSize
        self.init(wordEmbeddings: encoder.wordEmbeddings.copied(),
                  layers: (0..<layerCount).map { _ in BertLayer(hidden: h, intermediate: h, activation: .relu, rng: &rng) },
                  heads: heads ?? encoder.config.numAttentionHeads, limits: limits)
    }

    public var hiddenSize: Int { wordEmbeddings.shape[1] }

    public var characteristics: RankerCharacteristics {
        let h = hiddenSize
        return RankerCharacteristics(interaction: "m·n dot pr. + kernel-pool", passageCache: true, nnIndex: false,
                                     storageUnit: "|T|", floatsPerPassage: { tokens in tokens * h })
    }

    public var parameters: [NamedParameter] {
        var p = ParameterList()
        p.add("word_embeddings.weight", wordEmbeddings)
        for (i, l) in layers.enumerated() { p.add(prefix: "contextualizer.layer.\(i)", l.parameters) }
        p.add("mixer", mixer)
        p.add("kernel_alpha_scaler", kernelScaler)
        p.add(prefix: "dense", dense.parameters)
        return p.items
    }

    /// Sinusoidal position features [S,H] for positions offset..<offset+S (Vaswani et al.: sin on even, cos on odd dims).
    static func positionFeatures(count s: Int, hidden h: Int, offset: Int) -> Tensor {
        var v = [Float](repeating: 0, count: s * h)
        for i in 0..<s {
            for k in 0..<(h / 2) {
                let angle = Double(offset + i) / pow(10_000, Double(2 * k) / Double(h))
                v[i * h + 2 * k] = Float(sin(angle))
                v[i * h + 2 * k + 1] = Float(cos(angle))
            }
        }
        return Tensor(shape: [s, h], scalars: v)
    }

    /// Contextualised, hybrid token vectors [N,S,H] (padding rows zero) and the input.
    public func contextualize(_ texts: [[Int]], isQuery: Bool) -> (Tensor, EncoderInput) {
        let seqs = texts.map { isQuery ? limits.query($0) : limits.passage($0) }.map { $0.isEmpty ? [specials.unk] : $0 }
        let input = EncoderInput(sequences: seqs, padId: specials.pad)
        let n = input.batch, s = input.length, h = hiddenSize
        let emb = Tensor.embedding(wordEmbeddings, ids: input.ids, idShape: [n, s])                    // [N,S,H]
        let pos = TK.positionFeatures(count: s, hidden: h, offset: isQuery ? 0 : TK.passagePositionOffset)
        var ctx = emb + pos
        let mask = TransformerEncoder.attentionMask(input)
        for l in layers { ctx = l(ctx, mask: mask, heads: heads, eps: 1e-5, dropout: dropout) }        // [N,S,H]
        let keep = Tensor(shape: [n, s, 1], scalars: input.mask)
        let hybrid = (emb * mixer + ctx * (1 - mixer)) * keep
        return (hybrid, input)
    }

    public func score(_ pairs: [RankerPair]) -> Tensor {
        let (q, qIn) = contextualize(pairs.map(\.query), isQuery: true)        // [N,Q,H]
        let (p, pIn) = contextualize(pairs.map(\.passage), isQuery: false)     // [N,P,H]
        return kernelScore(q, qIn, p, pIn)
    }

    /// Match matrix, kernel pooling and the final linear: scores [N] from contextualised q [N,Q,H] and p [N,P,H].
    /// `passagesNormalized`: p's rows already have unit length (cached passages are stored so, see PassageCaching).
    func kernelScore(_ q: Tensor, _ qIn: EncoderInput, _ p: Tensor, _ pIn: EncoderInput,
                     passagesNormalized: Bool = false) -> Tensor {
        let n = q.shape[0]
        let m = passagesNormalized ? q.l2Normalized().matmul(p, transposeB: true)
                                   : Tensor.cosineMatrix(q, p)                  // [N,Q,P]
        let pmask = Tensor(shape: [n, pIn.length], scalars: pIn.mask)
        let perQuery = m.kernelPooling(passageMask: pmask, centres: TK.mus, sigma: TK.sigma)   // [N,Q,K]
        let logK = (perQuery * kernelScaler).clampMin(1e-10).log()              // [N,Q,K]
        let qmask = Tensor(shape: [n, qIn.length, 1], scalars: qIn.mask)
        let phi = (logK * qmask).sum(axis: 1)                                   // [N,K]
        return dense(phi).reshaped([n])                                         // [N]
    }

    public func save(to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var tensors: [String: Tensor] = [:]
        for p in parameters { tensors[p.name] = p.tensor }
        try SafeTensors.write(tensors, metadata: ["format": "pt"], to: folder.appendingPathComponent("tk.safetensors"))
        try writeRankerManifest(architecture: TK.architecture, limits: limits, specials: specials,
                                options: ["heads": String(heads), "layers": String(layers.count)], to: folder)
    }
}
