// Paper A, Table B: the teachers — T1 and the other members of the T2 ensemble, each a BERT_CAT trained with RankNet,
// and T2 itself (the per-pair mean of the members' scores) — re-ranking both test sets (TREC DL 2019 and 2020).

import Eval
import MarginMSE
import Report

extension Experiments {
    static let marginMSETableB = Experiment(
        name: "table-b", paper: .marginMSE, kind: .table, title: "Table B — Teachers", budgetMinutes: 3.1
    ) { context in
        let p = PaperAPipeline.forContext(context)
        let tests = try p.testSets
        var table = Table(title: "Table B — teachers re-ranking the BM25 top-\(p.plan.depth) of "
                              + tests.map { PaperA.label($0) }.joined(separator: " and "),
                          columns: ["Teacher", "ours"]
                              + tests.flatMap { t in ["nDCG@10", "MRR@10", "R@100"].map { Column("\(PaperA.label(t)) \($0)") } }
                              + ["score sd", "paper TREC-19 nDCG@10", "paper TREC-19 MRR@10", "paper DEV nDCG@10",
                                 "paper DEV MRR@10"])
        let paperRows = MarginMSEPaper.tableB
        /// The measures on every test set, then the score spread over all of them.
        func cells(_ runs: [Run]) -> [Cell] {
            zip(runs, tests).flatMap { run, t -> [Cell] in
                let r = p.record(run, on: t)
                return [.number(r.scores.ndcg10), .number(r.scores.mrr10), .number(r.scores.recall100)]
            } + [.number(PaperA.scoreSpread(runs), format: .significant(2))]
        }
        var memberRuns: [[Run]] = []   // [member][test set]
        for (i, c) in p.plan.ensemble.enumerated() {
            let runs = try tests.map { try p.teacherRun(c, on: $0) }
            memberRuns.append(runs)
            let paper = i < 3 ? paperRows[i] : paperRows[3]
            table.rows.append(Row([.text(i == 0 ? "T1 (stands for \(paper.teacher))" : "T2 member \(i + 1) (stands for \(paper.teacher))"),
                                   .text("BERT_CAT, \(c.keepLayers.count) layer\(c.keepLayers.count == 1 ? "" : "s"), seed \(c.seed)")]
                                  + cells(runs) + paper.cells.map(\.cell)))
        }
        // T2: the mean of the members' scores per (query, passage), as the ensemble scores the training triples.
        let t2Runs = tests.indices.map { k in PaperA.meanRun(memberRuns.map { $0[k] }, tag: "T2") }
        table.rows.append(Row([.text("T2 (mean ensemble)"), .text("mean of the \(memberRuns.count) scores")]
                              + cells(t2Runs) + paperRows[3].cells.map(\.cell)))
        if p.regimes.contains(.miniLM) {
            let runs = try tests.map { try p.miniLMTeacherRun(on: $0) }
            table.rows.append(Row([.text("MiniLM (not one of the paper's teachers)"),
                                   .text("all-MiniLM-L6-v2 itself: 6 layers, mean pooling, cosine; not trained here")]
                                  + cells(runs) + [.unknown, .unknown, .unknown, .unknown]))
        }
        table.rows.append(Row([.text("BM25"), .text("first stage")]
                              + tests.flatMap { t -> [Cell] in
                                  let b = p.bm25Record(t)
                                  return [.number(b.scores.ndcg10), .number(b.scores.mrr10), .number(b.scores.recall100)]
                              }
                              + [.empty, .paper(0.501), .paper(0.689), .paper(0.241), .paper(0.194)]))
        table.notes = ["Paper cells: T1's TREC-19 nDCG@10 and DEV MRR@10 digitised from its Figure C; ALBERT-Large DEV MRR@10 from the authors' lecture slides; the rest of the paper's table is unknown here.",
                       "score sd: the standard deviation of the teacher's scores over the re-ranked test pairs of both test sets — the scale of the margins it teaches. The T2 mean averages raw scores without normalisation (as the paper's code does), so a member with a small spread adds little but divides the others' margins."]
        if p.regimes.contains(.miniLM) {
            table.notes.append("MiniLM: the sentence-transformers model the students are cut from, scoring by cosine (--minilm-teacher); the students learn its cosines z-normalised over the training triples.")
        }
        return ExperimentOutput(tables: [table], deviations: PaperA.deviations(context),
                                caption: "The teachers whose scores the students learn from.")
    }
}
