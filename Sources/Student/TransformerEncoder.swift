// The BERT encoder (Devlin et al. 2019) as Hugging Face's `BertModel` computes it: word + position + token-type
// embeddings, LayerNorm, then post-LN layers of multi-head self-attention and a GELU (erf) feed-forward block, and an
// optional tanh pooler on [CLS]. Parameter names and layouts are Hugging Face's, so `model.safetensors` loads as is
// and a saved encoder loads back into `transformers`.
//
// Margin-MSE §2.5: every ranker here (BERT_CAT, BERT_DOT, ColBERT, PreTT) is built on this encoder. The forward pass
// can start at a given layer and stop before another, with a position offset, which is what PreTT needs.
// Leaves out: relative position embeddings, cross-attention, key/value caches.
//
// Letters: B batch, S sequence, H hidden, A heads, D = H/A head size, F intermediate (feed-forward) size.

import Tensors

/// One post-LN transformer layer with Hugging Face's parameter names.
public final class BertLayer: @unchecked Sendable {
    public let query: Linear, key: Linear, value: Linear     // [H,H] each
    public let attentionOutput: Linear                       // [H,H]
    public let attentionNorm: LayerNorm
    public let intermediate: Linear                          // [F,H]
    public let output: Linear                                // [H,F]
    public let outputNorm: LayerNorm
    /// The feed-forward non-linearity: GELU (erf) in BERT, ReLU in PyTorch's `nn.TransformerEncoderLayer` (TK).
    public let activation: Activation
    /// The feed-forward activation: erf GELU (BERT's `gelu`), its tanh approximation (`gelu_new`,
    /// `gelu_pytorch_tanh`) or ReLU (TK's contextualiser).
    public enum Activation: String, Sendable {
        case gelu, geluTanh = "gelu_tanh", relu

        /// The activation a Hugging Face `hidden_act` names (`BertConfig.supportedActivations`), nil for others.
        public init?(huggingFace name: String) {
            switch name {
            case "gelu": self = .gelu
            case "gelu_new", "gelu_pytorch_tanh": self = .geluTanh
            case "relu": self = .relu
            default: return nil
            }
        }
    }

    public init(query: Linear, key: Linear, value: Linear, attentionOutput: Linear, attentionNorm: LayerNorm,
                intermediate: Linear, output: Linear, outputNorm: LayerNorm, activation: Activation = .gelu) {
        self.activation = activation
        self.query = query; self.key = key; self.value = value
        self.attentionOutput = attentionOutput; self.attentionNorm = attentionNorm
        self.intermediate = intermediate; self.output = output; self.outputNorm = outputNorm
    }

    /// A randomly initialised layer (weights N(0, 0.02²), biases 0, LayerNorm γ=1 β=0, as BERT).
    public convenience init(hidden h: Int, intermediate f: Int, activation: Activation = .gelu, rng: inout Xoshiro256) {
        self.init(query: Linear(inFeatures: h, outFeatures: h, rng: &rng),
                  key: Linear(inFeatures: h, outFeatures: h, rng: &rng),
                  value: Linear(inFeatures: h, outFeatures: h, rng: &rng),
                  attentionOutput: Linear(inFeatures: h, outFeatures: h, rng: &rng),
                  attentionNorm: LayerNorm(size: h),
                  intermediate: Linear(inFeatures: h, outFeatures: f, rng: &rng),
                  output: Linear(inFeatures: f, outFeatures: h, rng: &rng),
                  outputNorm: LayerNorm(size: h), activation: activation)
    }

    public var parameters: [NamedParameter] {
        var p = ParameterList()
        p.add(prefix: "attention.self.query", query.parameters)
        p.add(prefix: "attention.self.key", key.parameters)
        p.add(prefix: "attention.self.value", value.parameters)
        p.add(prefix: "attention.output.dense", attentionOutput.parameters)
        p.add(prefix: "attention.output.LayerNorm", attentionNorm.parameters)
        p.add(prefix: "intermediate.dense", intermediate.parameters)
        p.add(prefix: "output.dense", output.parameters)
        p.add(prefix: "output.LayerNorm", outputNorm.parameters)
        return p.items
    }

    /// x [B,S,H], additive mask [B,1,1,S] (0 keep, −∞ drop) → [B,S,H].
    public func callAsFunction(_ x: Tensor, mask: Tensor, heads: Int, eps: Float, dropout: Dropout) -> Tensor {
        let d = x.shape[2] / heads
        let q = query(x), k = key(x), v = value(x)                       // [B,S,H], head a in columns a·D‥<(a+1)·D
        let scores = q.attentionScores(k, heads: heads, alpha: 1 / Float(d).squareRoot())   // [B,A,S,S], scaled in the GEMM
        let probs = dropout(scores.softmax(additiveMask: mask))          // [B,A,S,S]
        let context = probs.attentionContext(v)                          // [B,S,H]
        return afterAttention(context, x, eps: eps, dropout: dropout)
    }

    /// The layer on packed hidden states x [T,H]: the T real tokens of a [B,S] batch, token t at position `rows[t]`
    /// of B·S (`TransformerEncoder.packedTokens`). The linear layers, LayerNorm, GELU and dropout run on [T,H]; only
    /// queries, keys and values are scattered to [B,S,H] (zeros at padding) for attention, and the context gathered
    /// back. The same values as `callAsFunction` on the padded batch, at the real tokens.
    /// (Each step is a function of its own or one expression so that, without a gradient to record, a tensor is freed
    /// as soon as the next one is made: a Swift local lives to the end of its scope, and in one function the scores
    /// and probabilities would still be held during the feed-forward block; `InferenceMemoryTests`.)
    public func packed(_ x: Tensor, rows: [Int], batch b: Int, length s: Int, mask: Tensor, heads: Int, eps: Float,
                       dropout: Dropout) -> Tensor {
        afterAttention(packedContext(x, rows: rows, batch: b, length: s, mask: mask, heads: heads, dropout: dropout),
                       x, eps: eps, dropout: dropout)
    }

    /// Attention's context [T,H] for packed hidden states x [T,H] (see `packed`).
    private func packedContext(_ x: Tensor, rows: [Int], batch b: Int, length s: Int, mask: Tensor, heads: Int,
                               dropout: Dropout) -> Tensor {
        let h = x.shape[1], d = h / heads
        func padded(_ t: Tensor) -> Tensor { t.scatterRows(rows, count: b * s).reshaped([b, s, h]) }
        let v = padded(value(x))                                                              // [B,S,H]
        let scores = padded(query(x)).attentionScores(padded(key(x)), heads: heads,
                                                      alpha: 1 / Float(d).squareRoot())       // [B,A,S,S]
        let probs = probabilities(scores, mask: mask, dropout: dropout)
        return probs.attentionContext(v).reshaped([b * s, h]).indexSelect(rows)             // [T,H]
    }

    /// The layer's output at each sequence's first token only, [B,H], from x [B,S,H]: what a ranker that reads the
    /// last layer at [CLS] needs of it (BERT_CAT, BERT_DOT with [CLS] pooling, PreTT). Keys and values are every
    /// token's, the query only the first token's, so attention is [B,A,1,S] and the output projection, LayerNorms and
    /// feed-forward block run on B rows instead of B·S. The same values as row 0 of `callAsFunction` (the same
    /// products, each element's terms in the same order); trained through, the gradients are those of the full layer,
    /// rounded differently (a weight gradient sums B rows, not B·S rows of which all but B are zero) and drawn with
    /// fewer dropout numbers.
    public func firstToken(_ x: Tensor, mask: Tensor, heads: Int, eps: Float, dropout: Dropout) -> Tensor {
        let b = x.shape[0], h = x.shape[2], d = h / heads
        let first = x.select(axis: 1, index: 0)                                                  // [B,H]
        let scores = query(first).reshaped([b, 1, h]).attentionScores(key(x), heads: heads,
                                                                      alpha: 1 / Float(d).squareRoot())   // [B,A,1,S]
        let probs = probabilities(scores, mask: mask, dropout: dropout)
        let context = probs.attentionContext(value(x)).reshaped([b, h])                          // [B,H]
        return afterAttention(context, first, eps: eps, dropout: dropout)
    }

    /// `firstToken` on packed hidden states x [T,H] (see `packed`); `firstRows` are the packed rows of the sequences'
    /// first tokens. → [B,H].
    public func packedFirstToken(_ x: Tensor, rows: [Int], firstRows: [Int], batch b: Int, length s: Int, mask: Tensor,
                                 heads: Int, eps: Float, dropout: Dropout) -> Tensor {
        let first = x.indexSelect(firstRows)                                                     // [B,H]
        return afterAttention(packedFirstContext(x, first: first, rows: rows, batch: b, length: s, mask: mask,
                                                 heads: heads, dropout: dropout), first, eps: eps, dropout: dropout)
    }

    /// The first tokens' attention context [B,H] (see `packedFirstToken`).
    private func packedFirstContext(_ x: Tensor, first: Tensor, rows: [Int], batch b: Int, length s: Int, mask: Tensor,
                                    heads: Int, dropout: Dropout) -> Tensor {
        let h = x.shape[1], d = h / heads
        func padded(_ t: Tensor) -> Tensor { t.scatterRows(rows, count: b * s).reshaped([b, s, h]) }
        let v = padded(value(x))                                                                 // [B,S,H]
        let scores = query(first).reshaped([b, 1, h]).attentionScores(padded(key(x)), heads: heads,
                                                                      alpha: 1 / Float(d).squareRoot())   // [B,A,1,S]
        let probs = probabilities(scores, mask: mask, dropout: dropout)
        return probs.attentionContext(v).reshaped([b, h])                                        // [B,H]
    }

    /// Attention's probabilities, dropped out, from its scores and the additive mask. Without a gradient to record they
    /// overwrite the scores (no second [B,A,Sq,S] buffer; the same bits).
    private func probabilities(_ scores: Tensor, mask: Tensor, dropout: Dropout) -> Tensor {
        dropout(GradMode.isEnabled ? scores.softmax(additiveMask: mask) : scores.softmaxInPlace(additiveMask: mask))
    }

    /// Everything after the attention context [.., H], token by token: output projection, residual and LayerNorm,
    /// the feed-forward block, residual and LayerNorm.
    private func afterAttention(_ context: Tensor, _ x: Tensor, eps: Float, dropout: Dropout) -> Tensor {
        let attended = attentionNorm(dropout(attentionOutput(context)) + x, eps: eps)
        let ff = output(activated(intermediate(attended)))                 // [.., F] inside, [.., H] out
        return outputNorm(dropout(ff) + attended, eps: eps)
    }

    /// The feed-forward activation of `inner` (written over `inner`, a fresh product, when no gradient is recorded).
    private func activated(_ inner: Tensor) -> Tensor {
        switch activation {
        case .gelu: GradMode.isEnabled ? inner.gelu() : inner.geluInPlace()
        case .geluTanh: inner.geluTanh()
        case .relu: inner.relu()
        }
    }

    /// A deep copy (new storage, same values).
    public func copy() -> BertLayer {
        BertLayer(query: query.copy(), key: key.copy(), value: value.copy(), attentionOutput: attentionOutput.copy(),
                  attentionNorm: attentionNorm.copy(), intermediate: intermediate.copy(), output: output.copy(),
                  outputNorm: outputNorm.copy(), activation: activation)
    }
}

/// The BERT encoder.
public final class TransformerEncoder: @unchecked Sendable {
    public private(set) var config: BertConfig
    public let wordEmbeddings: Tensor          // [V,H]
    public let positionEmbeddings: Tensor      // [P,H]
    public let tokenTypeEmbeddings: Tensor     // [T,H]
    public let embeddingNorm: LayerNorm
    public private(set) var layers: [BertLayer]
    /// The tanh dense layer on [CLS] (BERT_CAT teachers built on BERT/ALBERT score its output).
    public let pooler: Linear?
    /// Dropout applied after embeddings, in attention and after each sub-layer while training.
    public var dropout: Dropout
    /// Run the token-wise work of the whole encoder (embeddings, linear layers, LayerNorm, GELU, dropout) on the
    /// batch's real tokens only, [T,H], instead of the padded [B·S,H], also while training; attention still runs per
    /// sequence on [B,A,S,S] (`BertLayer.packed`). Forward values are bit-identical at the real tokens (zeros at
    /// padding), but dropout draws its masks over T rows and the weight gradients sum fewer rows, so a trained model
    /// differs in its last digits: off by default, as the committed artefacts were trained without it. Forward
    /// passes that record no gradient (inference, under `withNoGrad`) run packed whatever this says.
    public var packedTokens = false

    public init(config: BertConfig, wordEmbeddings: Tensor, positionEmbeddings: Tensor, tokenTypeEmbeddings: Tensor,
                embeddingNorm: LayerNorm, layers: [BertLayer], pooler: Linear?, dropout: Dropout = Dropout(p: 0.1)) {
        precondition(wordEmbeddings.shape == [config.vocabSize, config.hiddenSize],
                     "word embeddings \(wordEmbeddings.shape) do not match config \(config.vocabSize)×\(config.hiddenSize)")
        precondition(layers.count == config.numHiddenLayers, "\(layers.count) layers, config says \(config.numHiddenLayers)")
        self.config = config
        self.wordEmbeddings = wordEmbeddings
        self.positionEmbeddings = positionEmbeddings
        self.tokenTypeEmbeddings = tokenTypeEmbeddings
        self.embeddingNorm = embeddingNorm
        self.layers = layers
        self.pooler = pooler
        self.dropout = dropout
    }

    /// A randomly initialised encoder of the given shape (BERT's initialisation: N(0, 0.02²)).
    public convenience init(config: BertConfig, pooler: Bool = true, seed: UInt64) {
        var rng = Xoshiro256(seed: seed)
        let h = config.hiddenSize
        self.init(config: config,
                  wordEmbeddings: .randomNormal([config.vocabSize, h], std: 0.02, rng: &rng),
                  positionEmbeddings: .randomNormal([config.maxPositionEmbeddings, h], std: 0.02, rng: &rng),
                  tokenTypeEmbeddings: .randomNormal([config.typeVocabSize, h], std: 0.02, rng: &rng),
                  embeddingNorm: LayerNorm(size: h),
                  layers: (0..<config.numHiddenLayers).map { _ in
                      BertLayer(hidden: h, intermediate: config.intermediateSize,
                                activation: BertLayer.Activation(huggingFace: config.hiddenAct) ?? .gelu, rng: &rng)
                  },
                  pooler: pooler ? Linear(inFeatures: h, outFeatures: h, rng: &rng) : nil,
                  dropout: Dropout(p: Float(0.1), seed: rng.next()))
    }

    public var hiddenSize: Int { config.hiddenSize }
    public var eps: Float { Float(config.layerNormEps) }

    /// Hugging Face names: `embeddings.word_embeddings.weight`, `encoder.layer.3.output.dense.bias`, `pooler.dense.weight` …
    public var parameters: [NamedParameter] {
        var p = ParameterList()
        p.add("embeddings.word_embeddings.weight", wordEmbeddings)
        p.add("embeddings.position_embeddings.weight", positionEmbeddings)
        p.add("embeddings.token_type_embeddings.weight", tokenTypeEmbeddings)
        p.add(prefix: "embeddings.LayerNorm", embeddingNorm.parameters)
        for (i, layer) in layers.enumerated() { p.add(prefix: "encoder.layer.\(i)", layer.parameters) }
        if let pooler { p.add(prefix: "pooler.dense", pooler.parameters) }
        return p.items
    }

    /// Embeddings of a batch: word + position + token type, then LayerNorm → [B,S,H]. Positions are 0..<S, or
    /// `positionIds` [B·S] when given (PreTT offsets a passage's positions by its query's length).
    public func embed(_ input: EncoderInput, positionIds: [Int]? = nil) -> Tensor {
        let b = input.batch, s = input.length
        let words = Tensor.embedding(wordEmbeddings, ids: input.ids, idShape: [b, s])                  // [B,S,H]
        let positions: Tensor
        if let ids = positionIds {
            precondition(ids.count == b * s && ids.allSatisfy { $0 >= 0 && $0 < config.maxPositionEmbeddings },
                         "position ids must be [B·S] = \(b * s) values below \(config.maxPositionEmbeddings)")
            positions = Tensor.embedding(positionEmbeddings, ids: ids, idShape: [b, s])                 // [B,S,H]
        } else {
            precondition(s <= config.maxPositionEmbeddings,
                         "sequence of \(s) tokens exceeds \(config.maxPositionEmbeddings) positions")
            positions = Tensor.embedding(positionEmbeddings, ids: Array(0..<s))                          // [S,H]
        }
        let types = Tensor.embedding(tokenTypeEmbeddings, ids: input.tokenTypes, idShape: [b, s])      // [B,S,H]
        return dropout(embeddingNorm(words + positions + types, eps: eps))
    }

    /// The additive attention mask [B,1,1,S]: 0 where a token takes part, −∞ for padding.
    public static func attentionMask(_ input: EncoderInput) -> Tensor {
        Tensor(shape: [input.batch, 1, 1, input.length], scalars: input.mask.map { $0 != 0 ? 0 : -Float.infinity })
    }

    /// Runs layers `range` on hidden states x [B,S,H] with the additive mask [B,1,1,S].
    public func runLayers(_ x: Tensor, mask: Tensor, range: Range<Int>? = nil) -> Tensor {
        var h = x
        for i in range ?? 0..<layers.count {
            h = layers[i](h, mask: mask, heads: config.numAttentionHeads, eps: eps, dropout: dropout)
        }
        return h
    }

    /// The last hidden states [B,S,H] of a batch. Inference (no gradient recorded) and `packedTokens` compute them
    /// on the real tokens only, with zeros at padding; training computes the padded batch (its padding rows hold
    /// values no ranker reads).
    public func callAsFunction(_ input: EncoderInput) -> Tensor {
        if packedTokens || !GradMode.isEnabled { return packedStates(input) }
        return runLayers(embed(input), mask: TransformerEncoder.attentionMask(input))
    }

    /// The last hidden state of each sequence's first token ([CLS]), [B,H]: row 0 of `callAsFunction`, with the last
    /// layer computed for that token only (`BertLayer.firstToken`; its keys and values are still every token's).
    /// What BERT_CAT and BERT_DOT read; a 2-layer encoder does about 40 % fewer multiply-adds.
    public func firstTokenStates(_ input: EncoderInput) -> Tensor {
        let heads = config.numAttentionHeads
        guard packedTokens || !GradMode.isEnabled else {
            let x = embed(input), mask = TransformerEncoder.attentionMask(input)
            return runLayersToFirstToken(x, mask: mask)
        }
        let b = input.batch, s = input.length
        precondition(s > 0 && (0..<b).allSatisfy { input.mask[$0 * s] != 0 }, "every sequence needs its first token")
        let (x, rows, mask) = packedLayers(input, count: max(0, layers.count - 1))
        var firstRows: [Int] = []                                            // packed row of each b·S
        for (t, r) in rows.enumerated() where r % s == 0 { firstRows.append(t) }
        guard let last = layers.last else { return x.indexSelect(firstRows) }
        return last.packedFirstToken(x, rows: rows, firstRows: firstRows, batch: b, length: s, mask: mask, heads: heads,
                                     eps: eps, dropout: dropout)
    }

    /// Runs layers `range` on hidden states x [B,S,H] (as `runLayers`) and returns the first token's states of the
    /// last, [B,H] (`BertLayer.firstToken`). An empty range returns x's first tokens.
    public func runLayersToFirstToken(_ x: Tensor, mask: Tensor, range: Range<Int>? = nil) -> Tensor {
        let r = range ?? 0..<layers.count
        guard let lastIndex = r.last else { return x.select(axis: 1, index: 0) }
        let h = runLayers(x, mask: mask, range: r.lowerBound..<lastIndex)
        return layers[lastIndex].firstToken(h, mask: mask, heads: config.numAttentionHeads, eps: eps, dropout: dropout)
    }

    /// The last hidden states [B,S,H] computed on the real tokens only (see `packedTokens`); padding rows are 0.
    public func packedStates(_ input: EncoderInput) -> Tensor {
        let (x, rows, _) = packedLayers(input, count: layers.count)
        return x.scatterRows(rows, count: input.batch * input.length).reshaped([input.batch, input.length, hiddenSize])
    }

    /// The packed hidden states [T,H] after the first `count` layers, the real tokens' rows (b·S + position) and the
    /// additive mask: what `packedStates` and `firstTokenStates` share.
    private func packedLayers(_ input: EncoderInput, count: Int) -> (states: Tensor, rows: [Int], mask: Tensor) {
        let b = input.batch, s = input.length
        precondition(s <= config.maxPositionEmbeddings,
                     "sequence of \(s) tokens exceeds \(config.maxPositionEmbeddings) positions")
        let rows = input.mask.indices.filter { input.mask[$0] != 0 }          // real tokens, b·S + position
        var x = packedEmbeddings(input, rows: rows, length: s)
        let mask = TransformerEncoder.attentionMask(input)
        for layer in layers.prefix(count) {
            x = layer.packed(x, rows: rows, batch: b, length: s, mask: mask, heads: config.numAttentionHeads, eps: eps,
                             dropout: dropout)
        }
        return (x, rows, mask)
    }

    /// The embeddings [T,H] of the real tokens `rows` (b·S + position) of a batch of length `s`: word + position +
    /// type, LayerNorm, dropout. (A function of its own, so that its three lookups are freed before the layers run.)
    private func packedEmbeddings(_ input: EncoderInput, rows: [Int], length s: Int) -> Tensor {
        let words = Tensor.embedding(wordEmbeddings, ids: rows.map { input.ids[$0] })            // [T,H]
        let positions = Tensor.embedding(positionEmbeddings, ids: rows.map { $0 % s })           // [T,H]
        let types = Tensor.embedding(tokenTypeEmbeddings, ids: rows.map { input.tokenTypes[$0] }) // [T,H]
        return dropout(embeddingNorm(words + positions + types, eps: eps))
    }

    /// The pooler output tanh(W·h[CLS] + b) [B,H] from last hidden states [B,S,H].
    public func pooled(_ hidden: Tensor) -> Tensor { pooled(firstToken: hidden.select(axis: 1, index: 0)) }

    /// The pooler output tanh(W·h + b) [B,H] from the [CLS] states h [B,H] (`firstTokenStates`).
    public func pooled(firstToken h: Tensor) -> Tensor {
        guard let pooler else { preconditionFailure("this encoder has no pooler") }
        return pooler(h).tanh()
    }

    /// A copy that keeps only `layers` (teacher layer indices, in order): the sentence-transformers "layer reduction"
    /// student. The copy's config says the reduced depth, so it saves and loads at that depth.
    public func reduced(keepingLayers keep: [Int]) -> TransformerEncoder {
        precondition(!keep.isEmpty && keep.allSatisfy { $0 >= 0 && $0 < layers.count },
                     "layers to keep \(keep) must be indices into \(layers.count) layers")
        var c = config
        c.numHiddenLayers = keep.count
        let reduced = TransformerEncoder(config: c, wordEmbeddings: wordEmbeddings.copied(),
                                  positionEmbeddings: positionEmbeddings.copied(),
                                  tokenTypeEmbeddings: tokenTypeEmbeddings.copied(),
                                  embeddingNorm: embeddingNorm.copy(), layers: keep.map { layers[$0].copy() },
                                  pooler: pooler?.copy(), dropout: dropout)
        reduced.packedTokens = packedTokens
        return reduced
    }
}
