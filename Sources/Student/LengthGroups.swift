// Scoring in groups of similar length: the same scores as one `score` call over all pairs, with far less padding.
//
// A batch is padded to its longest sequence. MS MARCO passages are 84 word pieces on average but the longest of 64
// is usually ~200, so a batch of 64 random pairs spends more than half of its encoder work (and, through the S×S
// attention, three quarters of its attention memory) on padding. Sorting the pairs by length and scoring them in
// groups that each pad only to their own longest removes most of it. Every pair's score depends only on its own
// tokens (attention never crosses sequences, padding is masked), so grouping changes which pairs share a matrix
// product, not what any pair computes: the scores agree with the ungrouped ones to float rounding (tested), and the
// gradients flow through the same concatenation and reordering ops as any other.
//
// Leaves out: packing several short sequences into one row (would need block-diagonal attention masks).

import Tensors

/// How to split pairs into length groups: each group holds at most `tokenBudget` padded tokens (its size times the
/// length of its longest member), and at least one pair. The default, 512, was the fastest of 256–8192 for a training
/// step of BERT_CAT (6 layers) and BERT_DOT (2 layers) on TREC DL triples (Docs/Student.md, "Length groups"): small
/// groups keep the attention scores of a group in cache and waste almost nothing on padding.
public struct LengthGrouping: Sendable, Equatable, Codable {
    public var tokenBudget: Int
    public init(tokenBudget: Int = 512) { self.tokenBudget = tokenBudget }
    /// One group of everything: what `score` does on its own.
    public static let none = LengthGrouping(tokenBudget: .max)

    /// Groups of indices into `lengths`, each sorted ascending by length (ties by index), in ascending order.
    ///
    ///     LengthGrouping(tokenBudget: 12).groups(lengths: [5, 2, 6, 3])   // [[1, 3], [0, 2]]
    ///     // sorted: 2 (i1), 3 (i3), 5 (i0), 6 (i2); 3 pairs padded to 5 = 15 > 12, so i0 starts a new group,
    ///     // and i2 joins it (2 pairs padded to 6 = 12)
    public func groups(lengths: [Int]) -> [[Int]] {
        let order = lengths.indices.sorted { (lengths[$0], $0) < (lengths[$1], $1) }
        var groups: [[Int]] = [], current: [Int] = []
        for i in order {
            // Sorted ascending, so the newcomer is the longest of the group it joins.
            if !current.isEmpty && (current.count + 1) * lengths[i] > tokenBudget {
                groups.append(current)
                current = []
            }
            current.append(i)
        }
        if !current.isEmpty { groups.append(current) }
        return groups
    }
}

extension LengthGrouping {
    /// Rows [N, …] of N items computed in length groups: `body` gets the indices of one group (ascending length) and
    /// returns that group's rows in the same order; the result holds row i for item i. Differentiable like `body`.
    public func rows(lengths: [Int], _ body: ([Int]) -> Tensor) -> Tensor {
        let groups = self.groups(lengths: lengths)
        if groups.count <= 1 { return body(Array(lengths.indices)) }
        let sorted = Tensor.concat(groups.map(body), axis: 0)                   // rows in sorted order
        var position = [Int](repeating: 0, count: lengths.count)                // item i sits at sorted[position[i]]
        for (k, i) in groups.joined().enumerated() { position[i] = k }
        return sorted.indexSelect(position)                                     // rows in input order
    }
}

extension Ranker {
    /// The padded length a pair occupies in this ranker's input (query and passage after truncation, with room for
    /// special tokens): the sort key of `score(_:grouping:)`.
    public func inputLength(_ pair: RankerPair) -> Int {
        min(pair.query.count, limits.maxQueryLength) + min(pair.passage.count, limits.maxPassageLength) + 3
    }

    /// Scores [N] of N pairs, computed in length groups (see the file comment), in the order of `pairs`.
    /// Differentiable like `score`.
    public func score(_ pairs: [RankerPair], grouping: LengthGrouping) -> Tensor {
        grouping.rows(lengths: pairs.map(inputLength)) { g in score(g.map { pairs[$0] }) }
    }
}

extension SentenceEncoder {
    /// Sentence embeddings [N,E] of N inputs (each `[CLS] … [SEP]`), computed in length groups, in input order.
    /// Differentiable (the embedding distillation trains through it).
    public func callAsFunction(_ sequences: [[Int]], grouping: LengthGrouping) -> Tensor {
        grouping.rows(lengths: sequences.map(\.count)) { g in self(EncoderInput(sequences: g.map { sequences[$0] })) }
    }
}
