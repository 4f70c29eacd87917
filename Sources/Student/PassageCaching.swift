// Passage representations computed offline, and query-time scoring against them: what the paper's latency numbers
// measure ("query latency only shows time spent on re-ranking, with cached passage representations where possible",
// Margin-MSE Table A / Figure C). BERT_DOT caches one vector per passage, ColBERT and TK one per token, PreTT the
// passage's hidden states after the split layer; BERT_CAT cannot cache anything and is not a `CachingRanker`.
// Query-time scoring with a cache gives the same scores as `score(_:)` (tested).
//
// Letters: N cached passages, P passage length, Q query length, H hidden.

import Tensors

/// What a caching ranker stored for a list of passages.
public struct CachedPassages: @unchecked Sendable {
    /// The cached tensor, first axis N.
    public let states: Tensor
    /// The padded passage input (its mask), where token-level states need it.
    public let input: EncoderInput?
    public var count: Int { states.shape[0] }
    /// Floats held per passage on average (the storage column of Table A).
    public var floatsPerPassage: Double {
        guard let input else { return Double(states.count) / Double(max(count, 1)) }
        let real = input.lengths.reduce(0, +)
        return Double(real * states.shape[states.rank - 1]) / Double(max(count, 1))
    }
}

public protocol CachingRanker: Ranker {
    /// The offline part: passage representations (no graph is built).
    func cachePassages(_ passages: [[Int]]) -> CachedPassages
    /// The online part: scores of every cached passage for `query`.
    func score(query: [Int], cached: CachedPassages) -> [Float]
}

/// `query` repeated for each of `n` rows of a [1,…] tensor: [n,…] (a broadcast copy for the batched ops).
func repeated(_ t: Tensor, _ n: Int) -> Tensor { Tensor.concat(Array(repeating: t, count: n), axis: 0) }

extension BertDot: CachingRanker {
    public func cachePassages(_ passages: [[Int]]) -> CachedPassages {
        CachedPassages(states: withNoGrad { encode(passages, isQuery: false) }, input: nil)      // [N,H]
    }
    public func score(query: [Int], cached: CachedPassages) -> [Float] {
        withNoGrad {
            let q = encode([query], isQuery: true)                                              // [1,H]
            return cached.states.matmul(q, transposeB: true).scalars                            // [N,1]
        }
    }
}

extension ColBERT: CachingRanker {
    public func cachePassages(_ passages: [[Int]]) -> CachedPassages {
        let (p, input) = withNoGrad { encode(passages, isQuery: false) }                         // [N,P,H]
        return CachedPassages(states: p, input: input)
    }
    public func score(query: [Int], cached: CachedPassages) -> [Float] {
        withNoGrad {
            let (q, qIn) = encode([query], isQuery: true)                                       // [1,Q,H]
            let n = cached.count
            let qi = EncoderInput(sequences: Array(repeating: Array(qIn.ids[0..<qIn.lengths[0]]), count: n))
            return lateInteraction(repeated(q, n), qi, cached.states, cached.input!).scalars
        }
    }
}

extension TK: CachingRanker {
    /// The cache holds the passage vectors at unit length: the match matrix needs only their directions, and
    /// normalising 100 cached passages again for every query cost more than the rest of the query's scoring.
    public func cachePassages(_ passages: [[Int]]) -> CachedPassages {
        let (p, input) = withNoGrad { contextualize(passages, isQuery: false) }                  // [N,P,H]
        return CachedPassages(states: withNoGrad { p.l2Normalized() }, input: input)
    }
    public func score(query: [Int], cached: CachedPassages) -> [Float] {
        withNoGrad {
            let (q, qIn) = contextualize([query], isQuery: true)                                // [1,Q,H]
            let n = cached.count
            let qi = EncoderInput(sequences: Array(repeating: Array(qIn.ids[0..<qIn.lengths[0]]), count: n))
            return kernelScore(repeated(q, n), qi, cached.states, cached.input!, passagesNormalized: true).scalars
        }
    }
}

extension PreTT: CachingRanker {
    public func cachePassages(_ passages: [[Int]]) -> CachedPassages {
        let (p, input) = withNoGrad { passageStates(passages) }                                 // [N,P,H]
        return CachedPassages(states: p, input: input)
    }
    /// The joint layers run in length groups (`LengthGrouping`, as `rerank` does for BERT_CAT): each group's cached
    /// states are cut to its own longest passage, so that short passages do not pay for the longest one's padding.
    public func score(query: [Int], cached: CachedPassages, grouping: LengthGrouping) -> [Float] {
        withNoGrad {
            let qIn = EncoderInput(sequences: [wrapped(limits.query(query), specials)], padId: specials.pad)
            let q = encoder.runLayers(encoder.embed(qIn), mask: TransformerEncoder.attentionMask(qIn),
                                      range: 0..<splitLayer)                                    // [1,Q,H]
            let pIn = cached.input!, qIds = Array(qIn.ids[0..<qIn.lengths[0]])
            return grouping.rows(lengths: pIn.lengths.map { $0 + qIn.length }) { group in
                let rows = group.map { Array(pIn.ids[($0 * pIn.length)..<($0 * pIn.length + pIn.lengths[$0])]) }
                let gIn = EncoderInput(sequences: rows, tokenTypes: rows.map { [Int](repeating: 1, count: $0.count) },
                                       padId: specials.pad)                        // [g, the group's longest]
                let states = cached.states.indexSelect(group).slice(axis: 1, 0..<gIn.length)       // [g,…,H]
                let qi = EncoderInput(sequences: Array(repeating: qIds, count: group.count), padId: specials.pad)
                return joinedScore(repeated(q, group.count), qi, states, gIn).reshaped([group.count, 1])
            }.scalars
        }
    }
    public func score(query: [Int], cached: CachedPassages) -> [Float] {
        score(query: query, cached: cached, grouping: LengthGrouping())
    }
}
