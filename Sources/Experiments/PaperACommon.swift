// Helpers shared by the Paper A artefacts: paper cells, significance markers, the deviations that apply to every
// Paper A result.

import Foundation
import Eval
import MarginMSE
import Report

extension PaperValue {
    /// The paper's value as a table cell ("?" when unknown).
    var cell: Cell { cell(digits: 3) }

    func cell(digits: Int) -> Cell {
        switch self {
        case .known(let v, _): return .paper(v, digits: digits)
        case .unknown: return .unknown
        }
    }
}

enum PaperA {
    /// The departures from the paper that every Paper A number carries.
    static func deviations(_ context: ExperimentContext) -> [String] {
        let plan = PaperAPlan.forScale(context.usesSyntheticData ? .smoke : context.scale, budget: context.paperABudget)
        var d = [
            "Data: trained on triples of real MS MARCO queries (dev-small: p⁺ the judged passage, p⁻ from the query's full-collection BM25 top 20 where known, else from our BM25 over a pool of the other training queries' passages; no passage of a test collection; 100 queries held out for validation) and tested by re-ranking the BM25 top-100 of TREC DL 2019 (the paper's TREC-19 column) and TREC DL 2020 (standing in for its DEV column, whose passages we do not have); the paper trains on ~40M MS MARCO training triples and re-ranks the BM25 top-1000 of MS MARCO DEV and DL19.",
            "Teachers: BERT_CAT on all-MiniLM-L6-v2 (T1: 6 layers; T2: mean of three such 6-layer BERT_CATs under seeds 1, 2, 3 — T1 and two more) instead of BERT-Base / BERT-Large / ALBERT-Large.",
            "Students: cut from all-MiniLM-L6-v2 (hidden 384) by layer reduction, not DistilBERT / BERT-Base (hidden 768); TK uses MiniLM's word pieces, not GloVe.",
            "Training budget: minutes on 2 CPU cores, not days on a GPU — each teacher \(plan.teacherT1.training.loop.totalSteps) RankNet steps of \(plan.batchSize) triples, each student \(plan.studentLoop.totalSteps) steps over \(plan.studentTriples.map { "a sample of \($0) triples (the triples the teachers score)" } ?? "the training triples"); the paper's runs are hundreds of thousands of batches, so these numbers are far from converged paper-scale training.",
            "Metrics: nDCG@10 graded; MRR@10 and R@100 at relevance ≥ 2 (trec_eval semantics, ties by docno descending).",
        ]
        if context.paperAMiniLMTeacher {
            d.insert("Teacher MiniLM (reproduce paper-a --minilm-teacher), not one of the paper's teachers: all-MiniLM-L6-v2 itself, an MS MARCO-trained bi-encoder (mean pooling, cosine), whose cosines are z-normalised over the training triples (mean 0, standard deviation 1 over all their scores) so that its margins are on the order of T1's logits. It stands in for what T1 and T2 are not here: a teacher stronger than its students. The 6-layer BERT_DOT starts from the same encoder, with [CLS] and dot product. MiniLM scaled: the same scores multiplied, per student, so that their mean margin equals the student's own no-KD margin (Margin-MSE is invariant to a shift of the teacher's scores, not to their scale); an addition of ours, not the paper's method.", at: 2)
        }
        if context.usesSyntheticData { d.insert(context.banner, at: 0) }
        return d
    }

    /// Significance marker of `model` against `baseline` per query (paired two-sided t-test, Bonferroni over
    /// `comparisons`): "†" when p < 0.05 after correction.
    static func marker(_ model: [String: Double], _ baseline: [String: Double], comparisons: Int) -> String {
        let qs = baseline.keys.filter { model[$0] != nil }.sorted()
        guard qs.count >= 2 else { return "" }
        let t = Significance.pairedTTest(qs.map { model[$0]! }, qs.map { baseline[$0]! })
        let p = Significance.bonferroni([t.pValue], comparisons: comparisons)[0]
        return p < 0.05 && t.meanDifference != 0 ? "†" : ""
    }

    /// "DL19" for the test set dl19 (and its synthetic stand-in at the smoke scale).
    static func label(_ test: RerankingData) -> String {
        test.name.replacingOccurrences(of: "synthetic-", with: "").uppercased()
    }

    /// The per-(query, passage) mean of `runs`' scores (the first run's candidates; a missing score counts as 0).
    static func meanRun(_ runs: [Run], tag: String) -> Run {
        var mean: [String: [ScoredDoc]] = [:]
        for qid in runs[0].results.keys {
            let lists = runs.map { Dictionary(uniqueKeysWithValues: ($0.results[qid] ?? []).map { ($0.docid, $0.score) }) }
            mean[qid] = (runs[0].results[qid] ?? []).map { d in
                ScoredDoc(d.docid, lists.map { $0[d.docid] ?? 0 }.reduce(0, +) / Double(lists.count))
            }
        }
        return Run(mean, tag: tag)
    }

    /// The population standard deviation of every score in `runs` (all queries of all runs pooled).
    static func scoreSpread(_ runs: [Run]) -> Double {
        let all = runs.flatMap { $0.results.values.flatMap { $0.map(\.score) } }
        guard !all.isEmpty else { return 0 }
        let mean = all.reduce(0, +) / Double(all.count)
        return (all.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(all.count)).squareRoot()
    }

    static let significanceNote = "† = significantly different from the no-KD row of the same student (paired two-sided t-test over test queries, p < 0.05 after Bonferroni correction for the comparisons in the table)."
}

extension Regime {
    /// The position of this regime in the paper's (no KD, T1, T2) lists; nil for MiniLM, which the paper does not have.
    var paperIndex: Int? {
        switch self {
        case .none: return 0
        case .t1: return 1
        case .t2: return 2
        case .miniLM, .miniLMScaled: return nil
        }
    }
}

extension MarginMSEPaper {
    /// The paper's value for `regime` from a (no KD, T1, T2) list, as a cell ("?" for MiniLM, not in the paper).
    static func cell(_ values: [PaperValue], _ regime: Regime) -> Cell {
        guard let i = regime.paperIndex, i < values.count else { return .unknown }
        return values[i].cell
    }
}
