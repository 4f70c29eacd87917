// Paper A, Table E: BERT_DOT students, trained as re-rankers (no KD, T1, T2), used for dense retrieval: every passage
// of the pool is encoded once, and each test query retrieves its top 1000 by exact dot product. BM25 retrieves from the
// same pool for comparison. nDCG@10, MRR@10 (rel ≥ 2) and Recall@1000 (rel ≥ 2).
// The pool here is every passage with text in the two test collections (TREC DL 2019 and 2020: the union of their four
// shared candidate lists and judged passages, ~21,000), not the 8.8M MS MARCO passages: retrieval is much easier, so
// compare differences between rows, not absolute values with the paper. The queries of both test sets search it.

import Foundation
import Eval
import MarginMSE
import Report
import Student
import Tensors
import Training

extension Experiments {
    static let marginMSETableE = Experiment(
        name: "table-e", paper: .marginMSE, kind: .table, title: "Table E — Dense retrieval with BERT_DOT", budgetMinutes: 4.3
    ) { context in
        let p = PaperAPipeline.forContext(context)
        let tests = try p.testSets
        var passages: [String: String] = [:]
        for t in tests { passages.merge(t.passages) { a, _ in a } }
        let pids = passages.keys.sorted(by: byteOrder)
        let qids = tests.flatMap(\.queryIDsWithCandidates)
        /// nDCG@10, MRR@10 and R@1000 of `run` on each test set.
        func measures(_ run: Run) -> [Double] {
            tests.flatMap { t -> [Double] in
                let n = TrecEval.evaluate(qrels: t.qrels, run: run, measures: [.ndcgCut(10)]).value(.ndcgCut(10)) ?? 0
                let m = TrecEval.evaluate(qrels: t.qrels, run: run, measures: [.recipRank],
                                          options: EvalOptions(relevanceLevel: 2, maxDocuments: 10)).value(.recipRank) ?? 0
                let r = TrecEval.evaluate(qrels: t.qrels, run: run, measures: [.recall(1000)],
                                          options: EvalOptions(relevanceLevel: 2)).value(.recall(1000)) ?? 0
                return [n, m, r]
            }
        }
        var table = Table(title: "Table E — dense retrieval from the passages of "
                              + tests.map { PaperA.label($0) }.joined(separator: " and ") + " (\(pids.count) passages)",
                          columns: ["Model", "ours", "Teacher", "Index (MB)"]
                              + tests.flatMap { t in ["nDCG@10", "MRR@10", "R@1000"].map { Column("\(PaperA.label(t)) \($0)") } }
                              + ["paper TREC-19 nDCG@10", "paper MRR@10", "paper R@1K"])
        let bm25 = BM25Index(documents: pids.map { ($0, passages[$0]!) })
        var queryText: [String: String] = [:]
        for t in tests { queryText.merge(t.queries) { a, _ in a } }
        let b = measures(bm25.run(queries: qids.map { ($0, queryText[$0] ?? "") }, k: 1000))
        let paperBM25 = MarginMSEPaper.tableE[0].cells
        table.rows.append(Row([.text("BM25"), .text("our index, k1 0.9 b 0.4"), .text("–"), .empty] + b.map { .number($0) }
                              + [paperBM25[0].cell, paperBM25[1].cell, paperBM25[2].cell]))
        for spec in p.plan.students where spec.architecture == "bert-dot" {
            for (k, regime) in p.regimes.enumerated() {
                let (model, _) = try p.student(spec, regime: regime)
                guard let dot = model as? BertDot else { continue }
                // Keyed by the student's own cache key, so that a student trained differently is measured anew.
                let student = try p.studentDirectory(spec, regime: regime, loss: .marginMSE).lastPathComponent
                let scores: [Double] = try p.cache.value(
                    kind: "dense", config: ["id": "\(spec.paperName)-\(regime.rawValue)-\(spec.label)", "student": student,
                                            "pool": tests.map(\.name).joined(separator: "+")],
                    as: [Double].self) {
                    let texts = try p.testTexts, memo = p.passageMemo(student)
                    let pool = pids.map { texts.passages[$0] ?? [] }
                    let known = pool.reduce(0) { $0 + (memo.vector($1) == nil ? 0 : 1) }
                    context.progress("    encoding \(pids.count - known) of \(pids.count) passages with \(spec.paperName) "
                                     + "(\(regime.rawValue)); \(known) known from its re-ranking")
                    let docs = embed(dot, pool, isQuery: false, memo: memo,
                                     progress: throttledFractionProgress("    passages", context.progress))
                    let queries = embed(dot, qids.map { texts.queries[$0] ?? [] }, isQuery: true)
                    let h = dot.encoder.hiddenSize
                    let hits = DenseRetrieval.search(queries: queries, queryCount: qids.count, documents: docs,
                                                     documentCount: pids.count, dim: h, k: 1000)
                    return measures(DenseRetrieval.run(hits, queryIds: qids, documentIds: pids))
                }
                let paperRow = MarginMSEPaper.tableE.filter { $0.model == spec.paperName }
                let paper = paperRow.count == 3 ? regime.paperIndex.map { Array(paperRow)[$0].cells } : nil
                let indexMB = Double(pids.count * dot.encoder.hiddenSize * 4) / 1e6
                table.rows.append(Row([.text(k == 0 ? spec.paperName : ""), .text(k == 0 ? spec.label : ""), .text(regime.rawValue),
                                       k == 0 ? .number(indexMB, format: .significant(3)) : .empty]
                                      + scores.map { .number($0) }
                                      + [paper?[0].cell ?? .unknown, paper?[1].cell ?? .unknown, paper?[2].cell ?? .unknown]))
            }
        }
        table.notes = ["Index: float32 passage vectors (pool × hidden × 4 bytes); the paper's index holds 8.8M 768-d vectors in fp16 (12.7 GB).",
                       "Paper columns: TREC-19 (its full-collection retrieval); our pool is the \(pids.count) passages of the two test collections, so absolute values are not comparable."]
        return ExperimentOutput(tables: [table], deviations: PaperA.deviations(context),
                                caption: "The re-ranking students, used as first-stage dense retrievers.")
    }

    /// Dense vectors of `texts` [n × H] row-major (`BertDot.vectors`): passages `memo` holds (those the student
    /// re-ranked in this run) are taken from it, the others encoded in length groups and added; the same vectors, bit
    /// for bit, as encoding them all. `progress` gets the fraction of the texts to encode that are done.
    static func embed(_ dot: BertDot, _ texts: [[Int]], isQuery: Bool, memo: PassageVectorMemo? = nil,
                      progress: (Double) -> Void = { _ in }) -> [Float] {
        Array(dot.vectors(texts, isQuery: isQuery, memo: memo, progress: progress).joined())
    }
}
