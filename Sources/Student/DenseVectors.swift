// BERT_DOT's vectors with each text encoded once. A text's vector depends on its own tokens only: the encoder's
// token-wise work runs on the real tokens (`TransformerEncoder.packedStates`), attention never crosses sequences and
// masked positions add exact zeros, and every matrix product adds an element's terms in one order whatever the batch.
// So a passage's vector is the same, bit for bit, in any batch and any length group (tested), which allows two savings
// that change no number:
//
//   re-ranking   the query is encoded once, not once per candidate (`score` on pairs encodes it with each passage);
//   memo         a `PassageVectorMemo` keeps one model's passage vectors while its weights stay fixed, so a passage
//                re-ranked for one test query, or for a second test set, or found again in a dense-retrieval pool,
//                is not encoded again (Paper A: Table E's pool holds every candidate that Tables A and C re-ranked).
//
// The score of a pair is still q̂·p̂ computed as `score` computes it (an element-wise product summed along the row), so
// the scores are `score`'s bits, not merely close to them.
//
// Letters: N passages, H hidden.

import Foundation
import Tensors

/// Passage vectors of one ranker with fixed weights, by word pieces (before truncation). Kept by whoever knows the
/// weights are frozen (an evaluation of a trained model), never across training steps. Thread-safe.
public final class PassageVectorMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var vectors: [[Int]: [Float]] = [:]

    public init() {}

    /// The remembered vector of `passage`, if any.
    public func vector(_ passage: [Int]) -> [Float]? { lock.withLock { vectors[passage] } }

    /// Remembers `vector` as the vector of `passage`.
    public func remember(_ passage: [Int], _ vector: [Float]) { lock.withLock { vectors[passage] = vector } }

    /// How many passages are remembered.
    public var count: Int { lock.withLock { vectors.count } }
}

extension BertDot {
    /// The vectors of `texts` (queries or passages), each encoded once, in length groups: duplicates are encoded once,
    /// and passages `memo` holds are taken from it (the rest are added to it). Row i is `encode`'s row for text i.
    /// `progress` gets the fraction of the texts to encode that are done. The weights are packed once for all groups
    /// (`Kernels.withPackedWeights`; bit-identical).
    public func vectors(_ texts: [[Int]], isQuery: Bool, memo: PassageVectorMemo? = nil,
                        grouping: LengthGrouping = LengthGrouping(), progress: (Double) -> Void = { _ in }) -> [[Float]] {
        let memo = isQuery ? nil : memo
        var out = [[Float]?](repeating: nil, count: texts.count)
        var first: [[Int]: Int] = [:], missing: [Int] = []              // a text's first index; texts to encode
        for (i, t) in texts.enumerated() {
            if let v = memo?.vector(t) { out[i] = v } else if first[t] == nil { first[t] = i; missing.append(i) }
        }
        if !missing.isEmpty {
            let lengths = missing.map { (isQuery ? limits.query(texts[$0]) : limits.passage(texts[$0])).count }
            var done = 0
            withNoGrad { Kernels.withPackedWeights {
                for group in grouping.groups(lengths: lengths) {
                    let idx = group.map { missing[$0] }
                    let m = encode(idx.map { texts[$0] }, isQuery: isQuery)                       // [g,H]
                    let s = m.scalars, h = m.shape[1]
                    for (r, i) in idx.enumerated() {
                        let v = Array(s[(r * h)..<((r + 1) * h)])
                        out[i] = v
                        memo?.remember(texts[i], v)
                    }
                    done += group.count
                    progress(Double(done) / Double(missing.count))
                }
            } }
        }
        return texts.indices.map { out[$0] ?? out[first[texts[$0]]!]! }
    }

    /// `score` on the pairs (query, passage) for every passage, with the query encoded once and each passage once
    /// (from `memo` where it holds it): the same scores, bit for bit.
    public func rerank(query: [Int], passages: [[Int]], grouping: LengthGrouping, memo: PassageVectorMemo?) -> [Float] {
        guard !passages.isEmpty else { return [] }
        return withNoGrad { Kernels.withPackedWeights {
            let q = encode([query], isQuery: true).scalars                                      // [H]
            let p = vectors(passages, isQuery: false, memo: memo, grouping: grouping)
            let n = passages.count, h = q.count
            let queries = Tensor(shape: [n, h], scalars: Array((0..<n).map { _ in q }.joined()))
            let docs = Tensor(shape: [n, h], scalars: Array(p.joined()))
            return (queries * docs).sum(axis: 1).scalars                                        // as `score`
        } }
    }
}
