// Paper A, Table C: every student × {no KD (RankNet), Margin-MSE with T1, Margin-MSE with T2}, re-ranking the
// BM25 top-100 of both test sets (TREC DL 2019 and 2020): nDCG@10, MRR@10, R@100, with significance markers against
// the no-KD row.
// The paper's digitised numbers (TREC-19 nDCG@10, DEV MRR@10) sit beside ours; the rest of its table is unknown.

import Report
import MarginMSE

extension Experiments {
    static let marginMSETableC = Experiment(
        name: "table-c", paper: .marginMSE, kind: .table, title: "Table C — Students with and without knowledge distillation",
        budgetMinutes: 14.4
    ) { context in
        let p = PaperAPipeline.forContext(context)
        let tests = try p.testSets
        var table = Table(title: "Table C — students re-ranking the BM25 top-\(p.plan.depth) of "
                              + tests.map { PaperA.label($0) }.joined(separator: " and "),
                          caption: "Each student trained without KD (RankNet), and with Margin-MSE from T1 and from T2"
                              + (p.regimes.contains(.miniLM) ? ", and from all-MiniLM-L6-v2 (MiniLM), as is and scaled to the student's margins." : "."),
                          columns: ["Student (paper name)", "ours", "Teacher"]
                              + tests.flatMap { t in ["nDCG@10", "MRR@10", "R@100"].map { Column("\(PaperA.label(t)) \($0)") } }
                              + ["paper TREC-19 nDCG@10", "paper DEV MRR@10"])
        table.rows.append(Row(["BM25", "first stage", "–"]
                              + tests.flatMap { t -> [Cell] in
                                  let b = p.bm25Record(t)
                                  return [.number(b.scores.ndcg10), .number(b.scores.mrr10), .number(b.scores.recall100)]
                              }
                              + [.paper(0.501), .paper(0.194)]))
        // Comparisons per test set: every KD row against its no-KD row, on two measures.
        let comparisons = p.plan.students.count * (p.regimes.count - 1) * 2
        for spec in p.plan.students {
            let paperRow = MarginMSEPaper.tableC.first { $0.student == spec.paperName }
            let baselines = try tests.map { try p.evaluate(spec, regime: .none, on: $0) }
            for (i, regime) in p.regimes.enumerated() {
                var cells: [Cell] = []
                for (k, t) in tests.enumerated() {
                    let r = try p.evaluate(spec, regime: regime, on: t), base = baselines[k]
                    let mN = regime == .none ? "" : PaperA.marker(r.perQueryNDCG10, base.perQueryNDCG10, comparisons: comparisons)
                    let mM = regime == .none ? "" : PaperA.marker(r.perQueryMRR10, base.perQueryMRR10, comparisons: comparisons)
                    cells += [.number(r.scores.ndcg10, marker: mN), .number(r.scores.mrr10, marker: mM), .number(r.scores.recall100)]
                }
                table.rows.append(Row([.text(i == 0 ? spec.paperName : ""), .text(i == 0 ? spec.label : ""), .text(regime.rawValue)]
                                      + cells
                                      + [paperRow.map { MarginMSEPaper.cell($0.trecNDCG10, regime) } ?? .unknown,
                                         paperRow.map { MarginMSEPaper.cell($0.devMRR10, regime) } ?? .unknown]))
            }
        }
        table.notes = [PaperA.significanceNote,
                       "R@100 of a re-ranking of the top 100 equals BM25's R@100 by construction.",
                       "Paper columns: TREC-19 nDCG@10 and MS MARCO DEV MRR@10 digitised from the paper's Figure C (±0.001). DL20 stands in for the paper's DEV column (we have no DEV candidates to re-rank): DL20 has graded judgements and far fewer queries than DEV, so its MRR@10 (at relevance ≥ 2) is not comparable to the paper's DEV MRR@10.",
                       "Significance per test set (Bonferroni over the comparisons of one test set)."]
        if p.regimes.contains(.miniLMScaled) {
            let factors = try p.plan.students.map { "\($0.paperName) ×\(String(format: "%.3g", try p.miniLMScale($0)))" }
            table.notes.append("MiniLM scaled: the MiniLM teacher's z-normalised scores multiplied, per student, so that their mean margin equals the margin the student reaches without a teacher (its no-KD run, last 10 % of training; Figure B): "
                               + factors.joined(separator: ", ") + ".")
        }
        return ExperimentOutput(tables: [table], deviations: PaperA.deviations(context),
                                caption: "Knowledge distillation with Margin-MSE against training without a teacher, per student architecture.")
    }
}
