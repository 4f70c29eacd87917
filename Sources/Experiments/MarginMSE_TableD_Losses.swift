// Paper A, Table D: the distillation losses compared on the same students with teacher T2: RankNet (no KD),
// pointwise MSE, weighted RankNet, MSE + RankNet, and Margin-MSE. The paper's table is entirely unknown here
// (the digest could not find it); the code ships exactly these losses.

import MarginMSE
import Report

extension Experiments {
    static let marginMSETableD = Experiment(
        name: "table-d", paper: .marginMSE, kind: .table, title: "Table D — Distillation losses", budgetMinutes: 4.8
    ) { context in
        let p = PaperAPipeline.forContext(context)
        let teacher = p.lossTeacher
        let tests = try p.testSets
        var table = Table(title: "Table D — losses, teacher \(teacher.rawValue), re-ranking the BM25 top-\(p.plan.depth) of "
                              + tests.map { PaperA.label($0) }.joined(separator: " and "),
                          columns: ["Student", "Loss"]
                              + tests.flatMap { t in ["nDCG@10", "MRR@10"].map { Column("\(PaperA.label(t)) \($0)") } }
                              + ["paper nDCG@10", "paper MRR@10"])
        let comparisons = p.plan.lossStudents.count * (p.plan.losses.count - 1) * 2
        for name in p.plan.lossStudents {
            guard let spec = p.plan.students.first(where: { $0.paperName == name }) else { continue }
            let baselines = try tests.map { try p.evaluate(spec, regime: .none, loss: .rankNet, on: $0) }
            for (i, loss) in p.plan.losses.enumerated() {
                let regime: Regime = loss == .rankNet ? .none : teacher
                var cells: [Cell] = []
                for (k, t) in tests.enumerated() {
                    let r = try p.evaluate(spec, regime: regime, loss: loss, on: t), base = baselines[k]
                    let mN = loss == .rankNet ? "" : PaperA.marker(r.perQueryNDCG10, base.perQueryNDCG10, comparisons: comparisons)
                    let mM = loss == .rankNet ? "" : PaperA.marker(r.perQueryMRR10, base.perQueryMRR10, comparisons: comparisons)
                    cells += [.number(r.scores.ndcg10, marker: mN), .number(r.scores.mrr10, marker: mM)]
                }
                table.rows.append(Row([.text(i == 0 ? "\(spec.paperName) (\(spec.label))" : ""),
                                       .text(loss == .rankNet ? "RankNet (no KD)" : loss.rawValue)]
                                      + cells + [.unknown, .unknown]))
            }
        }
        table.notes = [PaperA.significanceNote.replacingOccurrences(of: "no-KD row", with: "RankNet (no KD) row"),
                       "The paper's loss comparison could not be read (digest §6, Table D): every paper cell is unknown."]
        if teacher == .miniLM {
            table.notes.append("Teacher: all-MiniLM-L6-v2's cosines, z-normalised over the training triples (--minilm-teacher), instead of the paper's T2; the T2 version of this table is in the standard run.")
        }
        return ExperimentOutput(tables: [table], deviations: PaperA.deviations(context),
                                caption: "Matching the teacher's margin against matching its raw scores (pointwise MSE), weighting RankNet by the teacher margin, and MSE plus RankNet.")
    }
}
