// Text in, scores and embeddings out: the tokenizer (Vocab) in front of the rankers and the sentence encoder.
// Rankers take word pieces without special tokens; the sentence encoder takes `[CLS] … [SEP]` cut to its maximum
// length, exactly as sentence-transformers tokenizes (Vocab is equal to Hugging Face's tokenizer on all our data).

import Foundation
import Tensors
import Vocab

extension SentenceEncoder {
    /// Token ids of `text` as the model sees them: `[CLS] … [SEP]`, at most `maxSeqLength` in all.
    public func inputIDs(_ text: String, tokenizer: BertTokenizer) -> [Int] {
        tokenizer.encode(text, maxLength: maxSeqLength).ids.map(Int.init)
    }

    /// Embeddings [n × E] of `texts`, encoded in batches of similar length (sorted, then restored to input order).
    public func embed(_ texts: [String], tokenizer: BertTokenizer, batchSize: Int = 32) -> [[Float]] {
        let ids = texts.map { inputIDs($0, tokenizer: tokenizer) }
        return embed(ids: ids, batchSize: batchSize)
    }

    /// Embeddings of already tokenized inputs (each `[CLS] … [SEP]`), batched by length. `progress` gets the share of
    /// the word pieces encoded so far (0…1) after each batch; it does not change what is computed. The weights are
    /// packed once for all batches (`Kernels.withPackedWeights`; bit-identical), or once for the caller's whole scope.
    public func embed(ids: [[Int]], batchSize: Int = 32, progress: ((Double) -> Void)? = nil) -> [[Float]] {
        var out = [[Float]](repeating: [], count: ids.count)
        let order = ids.indices.sorted { ids[$0].count < ids[$1].count }
        let d = dimension
        let total = max(1, ids.reduce(0) { $0 + $1.count })
        var done = 0
        withNoGrad { Kernels.withPackedWeights {
            for start in stride(from: 0, to: order.count, by: batchSize) {
                let chunk = Array(order[start..<min(start + batchSize, order.count)])
                let e = self(EncoderInput(sequences: chunk.map { ids[$0] }))
                let p = e.pointer
                for (row, i) in chunk.enumerated() { out[i] = Array(UnsafeBufferPointer(start: p + row * d, count: d)) }
                if let progress {
                    done += chunk.reduce(0) { $0 + ids[$1].count }
                    progress(Double(done) / Double(total))
                }
            }
        } }
        return out
    }
}

extension Ranker {
    /// Scores of `passages` for `query`, from text.
    public func rerank(query: String, passages: [String], tokenizer: BertTokenizer,
                       grouping: LengthGrouping = LengthGrouping()) -> [Float] {
        rerank(query: tokenizer.tokenize(query).map(Int.init),
               passages: passages.map { tokenizer.tokenize($0).map(Int.init) }, grouping: grouping)
    }
}

extension RankerPair {
    /// A pair from text, word pieces without special tokens.
    public init(query: String, passage: String, tokenizer: BertTokenizer) {
        self.init(query: tokenizer.tokenize(query).map(Int.init), passage: tokenizer.tokenize(passage).map(Int.init))
    }
}
