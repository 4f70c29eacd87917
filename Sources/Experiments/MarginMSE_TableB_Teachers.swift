// Paper A, Table B: the teachers — T1 and the other members of the T2 ensemble, each a BERT_CAT trained with RankNet,
// and T2 itself (the per-pair mean of the members' scores) — re-ranking the test fold.

import Eval
import MarginMSE
import Report

extension Experiments {
    static let marginMSETableB = Experiment(
        name: "table-b", paper: .marginMSE, kind: .table, title: "Table B — Teachers", budgetMinutes: 1.2
    ) { context in
        let p = PaperAPipeline.forContext(context)
        var table = Table(title: "Table B — teachers re-ranking \(p.testFold.name) BM25 top-\(p.plan.depth)",
                          columns: ["Teacher", "ours", "nDCG@10", "MRR@10", "R@100", "score sd", "paper TREC-19 nDCG@10",
                                    "paper TREC-19 MRR@10", "paper DEV nDCG@10", "paper DEV MRR@10"])
        let paperRows = MarginMSEPaper.tableB
        var runs: [Run] = []
        for (i, c) in p.plan.ensemble.enumerated() {
            let run = try p.teacherRun(c)
            runs.append(run)
            let r = p.record(run)
            let paper = i < 3 ? paperRows[i] : paperRows[3]
            table.rows.append(Row([.text(i == 0 ? "T1 (stands for \(paper.teacher))" : "T2 member \(i + 1) (stands for \(paper.teacher))"),
                                   .text("BERT_CAT, \(c.keepLayers.count) layer\(c.keepLayers.count == 1 ? "" : "s"), seed \(c.seed)"),
                                   .number(r.scores.ndcg10), .number(r.scores.mrr10), .number(r.scores.recall100),
                                   .number(PaperA.scoreSpread(run), format: .significant(2))]
                                  + paper.cells.map(\.cell)))
        }
        // T2: the mean of the members' scores per (query, passage), as the ensemble scores the training triples.
        var mean: [String: [ScoredDoc]] = [:]
        for qid in runs[0].results.keys {
            let lists = runs.map { Dictionary(uniqueKeysWithValues: ($0.results[qid] ?? []).map { ($0.docid, $0.score) }) }
            mean[qid] = (runs[0].results[qid] ?? []).map { d in
                ScoredDoc(d.docid, lists.map { $0[d.docid] ?? 0 }.reduce(0, +) / Double(lists.count))
            }
        }
        let t2Run = Run(mean, tag: "T2"), t2 = p.record(t2Run)
        table.rows.append(Row([.text("T2 (mean ensemble)"), .text("mean of the \(runs.count) scores"),
                               .number(t2.scores.ndcg10), .number(t2.scores.mrr10), .number(t2.scores.recall100),
                               .number(PaperA.scoreSpread(t2Run), format: .significant(2))]
                              + paperRows[3].cells.map(\.cell)))
        if p.regimes.contains(.miniLM) {
            let run = try p.miniLMTeacherRun(), m = p.record(run)
            table.rows.append(Row([.text("MiniLM (not one of the paper's teachers)"),
                                   .text("all-MiniLM-L6-v2 itself: 6 layers, mean pooling, cosine; not trained here"),
                                   .number(m.scores.ndcg10), .number(m.scores.mrr10), .number(m.scores.recall100),
                                   .number(PaperA.scoreSpread(run), format: .significant(2)),
                                   .unknown, .unknown, .unknown, .unknown]))
        }
        let bm25 = p.bm25Record()
        table.rows.append(Row([.text("BM25"), .text("first stage"), .number(bm25.scores.ndcg10), .number(bm25.scores.mrr10),
                               .number(bm25.scores.recall100), .empty, .paper(0.501), .paper(0.689), .paper(0.241), .paper(0.194)]))
        table.notes = ["Paper cells: T1's TREC-19 nDCG@10 and DEV MRR@10 digitised from its Figure C; ALBERT-Large DEV MRR@10 from the authors' lecture slides; the rest of the paper's table is unknown here.",
                       "score sd: the standard deviation of the teacher's scores over the re-ranked test pairs — the scale of the margins it teaches. The T2 mean averages raw scores without normalisation (as the paper's code does), so a member with a small spread adds little but divides the others' margins."]
        if p.regimes.contains(.miniLM) {
            table.notes.append("MiniLM: the sentence-transformers model the students are cut from, scoring by cosine (--minilm-teacher); the students learn its cosines z-normalised over the training triples.")
        }
        return ExperimentOutput(tables: [table], deviations: PaperA.deviations(context),
                                caption: "The teachers whose scores the students learn from.")
    }
}
