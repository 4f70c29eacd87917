// Re-ranking evaluation of any ranker on a TREC DL year (`Eval.RerankingData`): the top-`depth` candidates re-scored
// with the ranker's word pieces (dropout off), measured by `Eval.RerankingScores`. Used for validation (held-out
// queries, every N steps) and for the test numbers (DL19, DL20).

import Foundation
import Corpus
import Eval
import Student
import Vocab

extension RerankingData {
    /// Word pieces (no special tokens) of every query and candidate passage.
    public func tokenized(_ tokenizer: BertTokenizer) -> TokenizedTexts {
        TokenizedTexts(queries: queries.mapValues { tokenizer.tokenize($0).map(Int.init) },
                       passages: passages.mapValues { tokenizer.tokenize($0).map(Int.init) })
    }
}

public enum RerankingEvaluation {
    /// Re-ranks the top `depth` candidates of `data` with `ranker` (dropout off, no graph) using the word pieces in
    /// `texts`; returns the run. `memo`: passage representations of this ranker with its present weights, kept across
    /// calls (see `Ranker.rerank(query:passages:grouping:memo:)`).
    public static func rerank(_ ranker: any Ranker, data: RerankingData, texts: TokenizedTexts, depth: Int = 100,
                              grouping: LengthGrouping = LengthGrouping(), memo: PassageVectorMemo? = nil,
                              progress: ((Double) -> Void)? = nil) throws -> Run {
        let wasTraining = ranker.training
        ranker.training = false
        defer { ranker.training = wasTraining }
        var out: [String: [ScoredDoc]] = [:]
        let qids = data.candidates.results.keys.sorted(by: byteOrder)
        for (i, qid) in qids.enumerated() {
            defer { progress?(Double(i + 1) / Double(qids.count)) }
            guard let q = texts.queries[qid] else { throw TrainingDataError("no text for query \(qid)") }
            let docs = Array(data.candidates.ranked(qid).prefix(depth))
            let passages = try docs.map { d -> [Int] in
                guard let p = texts.passages[d.docid] else { throw TrainingDataError("no text for passage \(d.docid)") }
                return p
            }
            let s = ranker.rerank(query: q, passages: passages, grouping: grouping, memo: memo)
            out[qid] = zip(docs, s).map { ScoredDoc($0.docid, Double($1)) }
        }
        return Run(out, tag: ranker.architecture)
    }

    /// nDCG@10, MRR@10 and R@100 of `run` (trec_eval semantics; queries in both run and qrels).
    public static func scores(_ run: Run, qrels: Qrels) -> RerankingScores { RerankingScores(run, qrels: qrels) }

    /// The validation score used for early stopping: nDCG@10 of re-ranking `data`'s candidates.
    public static func ndcg10(_ ranker: any Ranker, data: RerankingData, texts: TokenizedTexts, depth: Int = 100) throws -> Double {
        scores(try rerank(ranker, data: data, texts: texts, depth: depth), qrels: data.qrels).ndcg10
    }
}
