// Paper A, Table A: model characteristics — relative effectiveness, query latency (re-ranking the candidates with
// cached passage representations where possible), model size, the kind of query–passage interaction, whether
// passages can be cached and indexed, and storage per passage. One row per architecture (its 2-layer student,
// trained with T2); effectiveness is relative to BERT_CAT's, as the paper's "Effect." column (its exact definition
// is unknown; ours: nDCG@10 on TREC DL 2019, all trained with Margin-MSE from T2).

import Report
import Student

extension Experiments {
    static let marginMSETableA = Experiment(
        name: "table-a", paper: .marginMSE, kind: .table, title: "Table A — Model characteristics", budgetMinutes: 15.9
    ) { context in
        let p = PaperAPipeline.forContext(context)
        var table = Table(title: "Table A — model characteristics (students trained with T2, re-ranking \(p.plan.depth) candidates)",
                          columns: ["Model", "ours", "Effect.", "Query latency (ms)", "Peak memory (MB)", "Params (M)", "Interaction",
                                    "Passage cache", "NN index", "Storage / passage", "paper Effect.", "paper latency (ms)",
                                    "paper GPU memory (GB)"])
        var catNDCG: Double?
        for spec in p.plan.students where spec.paperName != "BERT-Base_DOT" {
            let (model, _) = try p.student(spec, regime: .t2)
            let r = try p.evaluate(spec, regime: .t2, on: p.mainTestSet)
            let lat = try p.latency(model, id: "\(spec.paperName)-\(spec.label)")
            if spec.architecture == "bert-cat" { catNDCG = r.scores.ndcg10 }
            let c = model.characteristics
            let paperName = spec.architectureName
            let paper = MarginMSEPaper.tableA.first { $0.model == paperName }
            // |P|: one vector per passage, so the floats are its dimension; |T|: one vector per token, so the floats
            // are the average over the test passages of tokens × dimension.
            let floats = Int(lat.floatsPerPassage.rounded())
            let storage = !lat.cached ? "–" : c.storageUnit == "|P|" ? "|P| × \(floats) floats"
                                                                     : "|T| × dim: \(floats) floats per passage (mean)"
            table.rows.append(Row([.text(paperName), .text(spec.label),
                                   catNDCG.map { .number(r.scores.ndcg10 / $0, digits: 2, marker: "×") } ?? .empty,
                                   .number(lat.medianMs, format: .significant(3)),
                                   lat.peakMemoryMB.map { .number($0, format: .significant(3)) } ?? .text("–"),
                                   .number(Double(lat.parameters) / 1e6, format: .significant(3)),
                                   .text(c.interaction), .text(c.passageCache ? "✓" : "–"), .text(c.nnIndex ? "✓" : "–"),
                                   .text(storage),
                                   paper?.relativeEffectiveness.cell(digits: 2) ?? .unknown,
                                   paper?.queryLatencyMs.cell(digits: 0) ?? .unknown,
                                   paper?.gpuMemoryGB.cell(digits: 1) ?? .unknown]))
        }
        table.notes = ["Latency: median over test queries of re-ranking \(p.plan.depth) candidates on \(context.threads) CPU thread(s), passage representations cached beforehand where the architecture allows (BERT_CAT cannot cache); the students are timed in turn, \(p.latencyRounds) rounds of \(p.latencyQueries) queries each. The paper timed GPU re-ranking of DistilBERT-size models (its hardware, batch and depth are unknown); compare orders, not values.",
                       "Effect.: nDCG@10 on \(PaperA.label(try p.mainTestSet)) relative to BERT_CAT's (our definition; the paper's is unknown).",
                       "Storage: floats per passage at our passage lengths (|T| architectures: tokens × hidden); the paper gives |P| / |T| × dimension.",
                       "Peak memory: the weights plus the most memory re-ranking one query holds at once (activations, packed weight copies, GEMM scratch; counted by the numeric code, not read off the process, which holds every model of the run), the largest over the timed queries; the cached passage representations are the storage column's. The paper's column is GPU memory, at its own (unknown) batch and depth."]
        return ExperimentOutput(tables: [table], deviations: PaperA.deviations(context),
                                caption: "What each architecture costs at query time, and what it can precompute.")
    }
}
