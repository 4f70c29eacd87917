// Building a student encoder from the teacher before distillation (digest §3.2 option A and §4.1–4.2):
//   • k = teacher width d: layer reduction — copy the embeddings and the kept layers (StudentShape.defaultLayers);
//   • k < d: the student cannot copy the teacher's layers. Word, position and token-type embeddings are the
//     teacher's rows projected by the PCA matrix W [k,d]: E_student = E_teacher·Wᵀ; the embedding LayerNorm starts
//     at γ=1, β=0; the L layers are new (BERT init N(0, 0.02²)), with 4k feed-forward units and k/32 heads;
//   • a new vocabulary: each token's row is the mean of the teacher's rows for the teacher's tokenisation of the
//     token's string ('##' stripped), [UNK]'s row when that tokenisation is empty; then projected if k < d.
// No pooler (mean pooling never reads it). Leaves out: copying teacher layers into a narrower student by slicing.
//
// Letters: V teacher vocab, V' student vocab, d teacher hidden, k student hidden, P positions, T token types.

import Tensors
import Student
import Vocab

/// A student that cannot be built from this teacher.
public struct StudentInitialisationError: Error, CustomStringConvertible, Equatable {
    public let description: String
}

public enum StudentInitialisation {
    /// Embedding rows [V',d] for a new vocabulary from the teacher's table `teacherRows` [V,d]: row(t) = mean of
    /// teacherRows[i] over the ids i of `teacherTokenizer.tokenize(t without a leading "##")` ([CLS] → [CLS]'s row,
    /// since the tokenizer keeps special tokens), or the [UNK] row when that list is empty.
    public static func newVocabularyRows(_ vocabulary: Vocabulary, teacherTokenizer: BertTokenizer,
                                         teacherRows: Tensor) -> Tensor {
        let d = teacherRows.shape[1]
        let out = Tensor(zeros: [vocabulary.count, d])
        let unk = Int(teacherTokenizer.wordPiece.unkID)
        let src = teacherRows.pointer, dst = out.pointer
        for (r, token) in vocabulary.tokens.enumerated() {
            let text = token.hasPrefix("##") ? String(token.dropFirst(2)) : token
            var ids = teacherTokenizer.tokenize(text).map(Int.init)
            if ids.isEmpty { ids = [unk] }
            let row = dst + r * d
            for id in ids {
                let s = src + id * d
                for j in 0..<d { row[j] += s[j] }
            }
            let inv = 1 / Float(ids.count)
            for j in 0..<d { row[j] *= inv }
        }
        return out
    }

    /// rows [n,d] · Wᵀ, W [k,d] → [n,k].
    public static func project(_ rows: Tensor, with w: Tensor) -> Tensor {
        precondition(rows.rank == 2 && w.rank == 2 && rows.shape[1] == w.shape[1],
                     "project: rows \(rows.shape) and W \(w.shape) do not share d")
        let n = rows.shape[0], d = rows.shape[1], k = w.shape[0]
        let y = Tensor(zeros: [n, k])
        if n > 0 {
            Kernels.sgemm(transA: false, transB: true, m: n, n: k, k: d, alpha: 1, a: rows.pointer, lda: d,
                          b: w.pointer, ldb: d, beta: 0, c: y.pointer, ldc: k)
        }
        return y
    }

    /// The student encoder of `shape` built from `teacher`.
    /// - vocabulary: the student's vocabulary, nil for the teacher's.
    /// - projection: W [k,d] (PCA components) when k < d; must be nil when k = d.
    /// - projectedLayers: for k < d, start student layer i from teacher layer `projectedLayers[i]` seen through W
    ///   (`projectedLayer`; ours) instead of BERT's random init; nil: random.
    public static func build(teacher: TransformerEncoder, teacherTokenizer: BertTokenizer, vocabulary: Vocabulary?,
                             shape: StudentShape, projection: Tensor?, dropout: Float = 0.1,
                             seed: UInt64, projectedLayers: [Int]? = nil) throws -> TransformerEncoder {
        let d = teacher.hiddenSize, k = shape.hidden
        guard k >= 1 && k <= d else {
            throw StudentInitialisationError(description: "student hidden size \(k) must be in 1…\(d) (the teacher's)")
        }
        guard shape.layers >= 1 else { throw StudentInitialisationError(description: "a student needs ≥ 1 layer") }
        var rng = Xoshiro256(seed: seed)
        let words = vocabulary.map {
            newVocabularyRows($0, teacherTokenizer: teacherTokenizer, teacherRows: teacher.wordEmbeddings)
        } ?? teacher.wordEmbeddings.copied()                                                   // [V',d]
        let vocabSize = words.shape[0]

        if k == d {
            guard projection == nil else {
                throw StudentInitialisationError(description: "a projection was given for a full-width student")
            }
            guard projectedLayers == nil else {
                throw StudentInitialisationError(description:
                    "projected teacher layers are for a narrow student; this one has the teacher's width \(d)")
            }
            let keep = shape.keepLayers ?? StudentShape.defaultLayers(keeping: shape.layers, of: teacher.layers.count)
            guard keep.count == shape.layers, keep.allSatisfy({ $0 >= 0 && $0 < teacher.layers.count }) else {
                throw StudentInitialisationError(description:
                    "layers to keep \(keep): need \(shape.layers) indices into \(teacher.layers.count) teacher layers")
            }
            var c = teacher.config
            c.numHiddenLayers = keep.count
            c.vocabSize = vocabSize
            return TransformerEncoder(config: c, wordEmbeddings: words,
                                      positionEmbeddings: teacher.positionEmbeddings.copied(),
                                      tokenTypeEmbeddings: teacher.tokenTypeEmbeddings.copied(),
                                      embeddingNorm: teacher.embeddingNorm.copy(),
                                      layers: keep.map { teacher.layers[$0].copy() }, pooler: nil,
                                      dropout: Dropout(p: dropout, seed: rng.next()))
        }

        guard let w = projection, w.shape == [k, d] else {
            throw StudentInitialisationError(description:
                "a student of hidden size \(k) < \(d) needs the PCA matrix W [\(k), \(d)], got \(projection?.shape ?? [])")
        }
        let t = teacher.config
        var layers: [BertLayer]
        if let projectedLayers {
            let teacherHeadDim = d / t.numAttentionHeads
            guard projectedLayers.count == shape.layers,
                  projectedLayers.allSatisfy({ $0 >= 0 && $0 < teacher.layers.count }),
                  k % shape.heads == 0, k / shape.heads == teacherHeadDim else {
                throw StudentInitialisationError(description:
                    "teacher layers to project \(projectedLayers): need \(shape.layers) indices into "
                    + "\(teacher.layers.count) teacher layers and student heads of the teacher's \(teacherHeadDim) dimensions "
                    + "(k = \(k), \(shape.heads) heads)")
            }
            layers = try projectedLayers.map {
                try projectedLayer(teacher.layers[$0], projection: w, headDim: teacherHeadDim, heads: shape.heads,
                                   intermediate: shape.intermediate)
            }
        } else {
            layers = (0..<shape.layers).map { _ in BertLayer(hidden: k, intermediate: shape.intermediate, rng: &rng) }
        }
        let c = BertConfig(vocabSize: vocabSize, hiddenSize: k, numHiddenLayers: shape.layers,
                           numAttentionHeads: shape.heads, intermediateSize: shape.intermediate, hiddenAct: t.hiddenAct,
                           maxPositionEmbeddings: t.maxPositionEmbeddings, typeVocabSize: t.typeVocabSize,
                           layerNormEps: t.layerNormEps, padTokenId: t.padTokenId)
        return TransformerEncoder(config: c, wordEmbeddings: project(words, with: w),
                                  positionEmbeddings: project(teacher.positionEmbeddings, with: w),
                                  tokenTypeEmbeddings: project(teacher.tokenTypeEmbeddings, with: w),
                                  embeddingNorm: LayerNorm(size: k),
                                  layers: layers, pooler: nil, dropout: Dropout(p: dropout, seed: rng.next()))
    }
}
