// The `default` scale's re-ranking test data for Margin-MSE (Docs/Paper-MarginMSE.md): one TREC DL year of MS MARCO
// passages — queries, graded qrels, the BM25 top-100 candidates and their passage text — and the paper's three
// re-ranking measures with trec_eval semantics: nDCG@10 (graded), MRR@10 and Recall@100 at binarisation level 2.
// Both papers test on it (Paper B re-ranks DL19 too), so it lives here rather than with either paper's module.
// Left out: MS MARCO dev (no passage text here), BM25 top-1000 (the shared runs are top-100; `Corpus.CandidateFile`
// reads the full-scale top-1000 files).

import Foundation
import Corpus

/// One TREC DL year, as texts and runs.
public struct RerankingData: Sendable {
    public var name: String
    public var queries: [String: String]
    public var passages: [String: String]
    public var qrels: Qrels
    /// First-stage candidates (BM25 top-100).
    public var candidates: Run

    public init(name: String, queries: [String: String], passages: [String: String], qrels: Qrels, candidates: Run) {
        self.name = name; self.queries = queries; self.passages = passages; self.qrels = qrels; self.candidates = candidates
    }

    /// Loads `<data>/msmarco-passage-trec-dl/<year>/` (queries.tsv, qrels.txt, run.<run>.top100.trec, collection.tsv).
    public static func trecDL(_ year: String, dataDirectory: String, run: String = "bm25") throws -> RerankingData {
        let d = (dataDirectory as NSString).appendingPathComponent("msmarco-passage-trec-dl/\(year)")
        func path(_ f: String) -> String { (d as NSString).appendingPathComponent(f) }
        var q: [String: String] = [:], p: [String: String] = [:]
        for r in try MSMarco.readRecords(path("queries.tsv")) { q[r.id] = r.text }
        try MSMarco.forEachRecord(path("collection.tsv")) { p[$0.id] = $0.text }
        return RerankingData(name: year, queries: q, passages: p, qrels: try Qrels.read(path("qrels.txt")),
                             candidates: try Run.read(path("run.\(run).top100.trec")))
    }

    /// qid → pids of the candidates, best first (trec_eval order).
    public var candidateLists: [String: [String]] {
        Dictionary(uniqueKeysWithValues: candidates.results.keys.map { ($0, candidates.ranked($0).map(\.docid)) })
    }

    /// The same data restricted to `qids`.
    public func restricted(to qids: [String]) -> RerankingData {
        let keep = Set(qids)
        var r = self
        r.candidates = Run(candidates.results.filter { keep.contains($0.key) }, tag: candidates.tag)
        r.qrels = Qrels(qrels.judgements.filter { keep.contains($0.key) })
        return r
    }
}

/// Re-ranking effectiveness in the paper's three measures.
public struct RerankingScores: Codable, Sendable, Equatable {
    /// nDCG@10, graded (trec_eval `-m ndcg_cut.10`, no `-l`, as Pyserini's DL19 numbers).
    public var ndcg10: Double
    /// MRR@10 at relevance level 2 (`-M 10 -l 2 recip_rank`).
    public var mrr10: Double
    /// Recall@100 at relevance level 2 (`-l 2 recall.100`).
    public var recall100: Double
    public var queries: Int

    public init(ndcg10: Double, mrr10: Double, recall100: Double, queries: Int) {
        self.ndcg10 = ndcg10; self.mrr10 = mrr10; self.recall100 = recall100; self.queries = queries
    }

    /// nDCG@10, MRR@10 and R@100 of `run` (trec_eval semantics; queries in both run and qrels).
    public init(_ run: Run, qrels: Qrels) {
        let graded = TrecEval.evaluate(qrels: qrels, run: run, measures: [.ndcgCut(10)])
        let recall = TrecEval.evaluate(qrels: qrels, run: run, measures: [.recall(100)],
                                       options: EvalOptions(relevanceLevel: 2))
        let mrr = TrecEval.evaluate(qrels: qrels, run: run, measures: [.recipRank],
                                    options: EvalOptions(relevanceLevel: 2, maxDocuments: 10))
        self.init(ndcg10: graded.value(.ndcgCut(10)) ?? 0, mrr10: mrr.value(.recipRank) ?? 0,
                  recall100: recall.value(.recall(100)) ?? 0, queries: graded.queries.count)
    }
}
