// Paper A, Table C: every student × {no KD (RankNet), Margin-MSE with T1, Margin-MSE with T2}, re-ranking the
// test fold's BM25 top-100: nDCG@10, MRR@10, R@100, with significance markers against the no-KD row.
// The paper's digitised numbers (TREC-19 nDCG@10, DEV MRR@10) sit beside ours; the rest of its table is unknown.

import Report
import MarginMSE

extension Experiments {
    static let marginMSETableC = Experiment(
        name: "table-c", paper: .marginMSE, kind: .table, title: "Table C — Students with and without knowledge distillation",
        budgetMinutes: 11.8
    ) { context in
        let p = PaperAPipeline.forContext(context)
        let bm25 = p.bm25Record()
        var table = Table(title: "Table C — students re-ranking \(p.testFold.name) BM25 top-\(p.plan.depth)",
                          caption: "Each student trained without KD (RankNet), and with Margin-MSE from T1 and from T2"
                              + (p.regimes.contains(.miniLM) ? ", and from all-MiniLM-L6-v2 (MiniLM), as is and scaled to the student's margins." : "."),
                          columns: ["Student (paper name)", "ours", "Teacher", "nDCG@10", "MRR@10", "R@100",
                                    "paper TREC-19 nDCG@10", "paper DEV MRR@10"])
        table.rows.append(Row(["BM25", "first stage", "–", .number(bm25.scores.ndcg10), .number(bm25.scores.mrr10),
                               .number(bm25.scores.recall100), .paper(0.501), .paper(0.194)]))
        let comparisons = p.plan.students.count * (p.regimes.count - 1) * 2
        for spec in p.plan.students {
            let paperRow = MarginMSEPaper.tableC.first { $0.student == spec.paperName }
            var baseline: EvalRecord?
            for (i, regime) in p.regimes.enumerated() {
                let r = try p.evaluate(spec, regime: regime)
                if regime == .none { baseline = r }
                let mN = regime == .none ? "" : PaperA.marker(r.perQueryNDCG10, baseline!.perQueryNDCG10, comparisons: comparisons)
                let mM = regime == .none ? "" : PaperA.marker(r.perQueryMRR10, baseline!.perQueryMRR10, comparisons: comparisons)
                table.rows.append(Row([.text(i == 0 ? spec.paperName : ""), .text(i == 0 ? spec.label : ""), .text(regime.rawValue),
                                       .number(r.scores.ndcg10, marker: mN), .number(r.scores.mrr10, marker: mM),
                                       .number(r.scores.recall100),
                                       paperRow.map { MarginMSEPaper.cell($0.trecNDCG10, regime) } ?? .unknown,
                                       paperRow.map { MarginMSEPaper.cell($0.devMRR10, regime) } ?? .unknown]))
            }
        }
        table.notes = [PaperA.significanceNote,
                       "R@100 of a re-ranking of the top 100 equals BM25's R@100 by construction.",
                       "Paper columns: TREC-19 nDCG@10 and MS MARCO DEV MRR@10 digitised from the paper's Figure C (±0.001); we have no DEV text, so our MRR@10 is on \(p.testFold.name), not comparable to the DEV column."]
        if p.regimes.contains(.miniLMScaled) {
            let factors = try p.plan.students.map { "\($0.paperName) ×\(String(format: "%.3g", try p.miniLMScale($0)))" }
            table.notes.append("MiniLM scaled: the MiniLM teacher's z-normalised scores multiplied, per student, so that their mean margin equals the margin the student reaches without a teacher (its no-KD run, last 10 % of training; Figure B): "
                               + factors.joined(separator: ", ") + ".")
        }
        return ExperimentOutput(tables: [table], deviations: PaperA.deviations(context),
                                caption: "Knowledge distillation with Margin-MSE against training without a teacher, per student architecture.")
    }
}
