// A batch of token-id sequences, padded to a common length, with the attention mask and token types a BERT encoder
// takes. Sequences arrive already tokenized (Vocab does that) and already carrying their [CLS]/[SEP].
//
// Letters: B = batch, S = padded sequence length.

/// Token ids of a batch of sequences, right-padded with `padId` to the longest one.
public struct EncoderInput: Sendable, Equatable {
    public let batch: Int                 // B
    public let length: Int                // S
    public let ids: [Int]                 // [B·S]
    public let tokenTypes: [Int]          // [B·S]
    public let mask: [Float]              // [B·S], 1 for real tokens, 0 for padding
    public let lengths: [Int]             // [B], real tokens per sequence

    /// Pads `sequences` (each non-empty) to the longest. `tokenTypes`, when given, parallels `sequences`.
    public init(sequences: [[Int]], tokenTypes: [[Int]]? = nil, padId: Int = 0, minLength: Int = 0) {
        precondition(!sequences.isEmpty, "EncoderInput needs at least one sequence")
        if let t = tokenTypes {
            precondition(t.count == sequences.count && zip(t, sequences).allSatisfy { $0.count == $1.count },
                         "token types must parallel the sequences")
        }
        let s = max(sequences.map(\.count).max()!, minLength)
        var ids = [Int](repeating: padId, count: sequences.count * s)
        var types = [Int](repeating: 0, count: sequences.count * s)
        var mask = [Float](repeating: 0, count: sequences.count * s)
        for (b, seq) in sequences.enumerated() {
            for (i, id) in seq.enumerated() {
                ids[b * s + i] = id
                mask[b * s + i] = 1
                if let t = tokenTypes { types[b * s + i] = t[b][i] }
            }
        }
        self.batch = sequences.count
        self.length = s
        self.ids = ids
        self.tokenTypes = types
        self.mask = mask
        self.lengths = sequences.map(\.count)
    }
}
