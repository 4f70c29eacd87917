// The quality measures of the two ranker types (Docs/Paper-ExtremeCompression.md, Table 2):
//   • question-answer ranker: nDCG@10 (and MRR@10 at relevance level 2) re-ranking the DL19 BM25 top-100 by the
//     cosine of query and passage embeddings (Eval.Reranking + Eval.TrecEval: trec_eval semantics), and nDCG@10 of
//     exact dense retrieval on SciFact (Eval.DenseRetrieval over unit vectors = cosine);
//   • semantic-similarity ranker: agreement with the teacher on a text sample (TeacherAgreement).
// Every model is seen through a `TextEmbedder`, so the teacher, the teacher with a PCA head, a student and its
// int8 (dequantised) copy are evaluated by the same code. Cosine throughout (Xayn's QAMBert used L2 distance).
// Leaves out: STS gold labels (none here).

import Foundation
import Tensors
import Student
import PCA
import Eval

/// Turns texts into embeddings (one row per text).
public struct TextEmbedder: @unchecked Sendable {
    public let name: String
    public let embed: ([String]) -> [[Float]]

    public init(name: String, embed: @escaping ([String]) -> [[Float]]) { self.name = name; self.embed = embed }

    /// The teacher, reading up to `maxLength` word pieces. With `memo`, a list of texts already embedded through
    /// the same memo is not embedded again. `progress`, given the number of texts about to be embedded, returns
    /// what gets the share of their word pieces encoded so far.
    public static func teacher(_ t: Teacher, maxLength: Int = 256, memo: EmbeddingMemo? = nil,
                               progress: ((Int) -> (Double) -> Void)? = nil) -> TextEmbedder {
        TextEmbedder(name: "teacher") { texts in
            teacherRows(t, texts, maxLength: maxLength, memo: memo, progress: progress)
        }
    }

    /// The teacher followed by the uncentred PCA head y = W·t (sentence-transformers' Dense layer). The teacher's
    /// rows come from `memo` when it holds them (the same rows `teacher(_:maxLength:memo:)` computes).
    public static func teacherWithPCA(_ t: Teacher, pca: PCAModel, k: Int, maxLength: Int = 256,
                                      memo: EmbeddingMemo? = nil, progress: ((Int) -> (Double) -> Void)? = nil) -> TextEmbedder {
        let dense = pca.denseLayer(k: k, centered: false)
        return TextEmbedder(name: "teacher+PCA\(k)") { texts in
            let rows = teacherRows(t, texts, maxLength: maxLength, memo: memo, progress: progress)
            return rowArrays(dense(Tensor(shape: [texts.count, t.model.dimension], scalars: rows.flatMap { $0 })))
        }
    }

    /// The teacher's rows of `texts`, from `memo` when it holds them.
    private static func teacherRows(_ t: Teacher, _ texts: [String], maxLength: Int, memo: EmbeddingMemo?,
                                    progress: ((Int) -> (Double) -> Void)?) -> [[Float]] {
        let compute = { (texts: [String]) -> [[Float]] in
            rowArrays(t.embed(texts, maxLength: maxLength, progress: progress?(texts.count)))
        }
        return memo.map { $0.rows(texts, compute: compute) } ?? compute(texts)
    }

    /// A distilled student at its own token size.
    public static func student(_ s: DistilledStudent, name: String = "student") -> TextEmbedder {
        TextEmbedder(name: name) { s.embed($0) }
    }

    /// The student with int8 weights (run dequantised; see Int8Quantization).
    public static func int8(_ s: DistilledStudent) -> TextEmbedder {
        let q = DistilledStudent(model: Int8Quantization.quantize(s.model).model, tokenizer: s.tokenizer,
                                 config: s.config, pca: s.pca)
        return student(q, name: "student-int8")
    }
}

/// The rows of a rank-2 tensor as arrays, its storage read once (`scalars` copies the whole tensor on each access).
public func rowArrays(_ m: Tensor) -> [[Float]] {
    let s = m.scalars, d = m.shape[1]
    return (0..<m.shape[0]).map { Array(s[($0 * d)..<(($0 + 1) * d)]) }
}

/// Embeddings remembered per list of texts, for one model read one way (e.g. the teacher at 256 word pieces): within
/// a run the teacher embeds DL19's and SciFact's texts for two ranker types and for every PCA width, and the same
/// texts in the same order give the same rows, so the memo changes the time and nothing else. Thread-safe.
public final class EmbeddingMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var memo: [[String]: [[Float]]] = [:]

    public init() {}

    /// The rows of `texts`: remembered ones, or `compute(texts)`, then remembered.
    public func rows(_ texts: [String], compute: ([String]) -> [[Float]]) -> [[Float]] {
        if let r = lock.withLock({ memo[texts] }) { return r }
        let r = compute(texts)
        lock.withLock { memo[texts] = r }
        return r
    }

    /// Remembers `rows` as the rows of `texts` (rows computed elsewhere by the same model, read the same way).
    public func remember(_ texts: [String], rows: [[Float]]) {
        precondition(rows.count == texts.count, "remember: \(rows.count) rows for \(texts.count) texts")
        lock.withLock { memo[texts] = rows }
    }

    /// How many lists of texts are remembered.
    public var count: Int { lock.withLock { memo.count } }
}

public struct QualityReport: Codable, Sendable, Equatable {
    public var model: String
    /// nDCG@10 re-ranking DL19 BM25 top-100 (43 judged queries).
    public var dl19NDCG10: Double?
    /// MRR@10 at relevance level 2 on the same run (`trec_eval -M 10 -l 2 -m recip_rank`).
    public var dl19MRR10: Double?
    /// nDCG@10 of dense retrieval on SciFact (test queries).
    public var scifactNDCG10: Double?
    public var agreement: AgreementScores?
    /// Per-query nDCG@10 on DL19 (for significance tests).
    public var dl19PerQuery: [String: Double]?

    public init(model: String, dl19NDCG10: Double? = nil, dl19MRR10: Double? = nil, scifactNDCG10: Double? = nil,
                agreement: AgreementScores? = nil, dl19PerQuery: [String: Double]? = nil) {
        self.model = model; self.dl19NDCG10 = dl19NDCG10; self.dl19MRR10 = dl19MRR10; self.scifactNDCG10 = scifactNDCG10
        self.agreement = agreement; self.dl19PerQuery = dl19PerQuery
    }
}

/// Row-wise L2 normalisation (zero rows stay zero).
func unitRows(_ x: [[Float]]) -> [[Float]] {
    x.map { v in
        let n = v.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
        return n > 0 ? v.map { $0 / n } : v
    }
}

public enum QualityEvaluation {
    /// DL19 re-ranking by cosine: nDCG@10, MRR@10 (level 2) and per-query nDCG@10.
    public static func rerankDL19(_ e: TextEmbedder, task: RerankingTask)
    throws -> (ndcg10: Double, mrr10: Double, perQuery: [String: Double]) {
        var needed = Set<String>()
        for (_, docs) in task.candidates.results { for d in docs { if let t = task.passages[d.docid] { needed.insert(t) } } }
        for q in task.candidates.results.keys { if let t = task.queries[q] { needed.insert(t) } }
        let texts = needed.sorted()
        let rows = unitRows(e.embed(texts))
        var table: [String: [Float]] = [:]
        for (t, r) in zip(texts, rows) { table[t] = r }
        let run = try Reranking.rerank(candidates: task.candidates, queries: task.queries, passages: task.passages,
                                       tag: e.name) { q, ps in
            let qv = table[q] ?? unitRows(e.embed([q]))[0]
            return ps.map { p in
                let pv = table[p] ?? unitRows(e.embed([p]))[0]
                var s: Float = 0
                for j in qv.indices { s += qv[j] * pv[j] }
                return s
            }
        }
        let ndcg = TrecEval.evaluate(qrels: task.qrels, run: run, measures: [.ndcgCut(10)])
        let mrr = TrecEval.evaluate(qrels: task.qrels, run: run, measures: [.recipRank],
                                    options: EvalOptions(relevanceLevel: 2, maxDocuments: 10))
        return (ndcg.value(Measure.ndcgCut(10)) ?? 0, mrr.value(Measure.recipRank) ?? 0,
                ndcg.values(Measure.ndcgCut(10)))
    }

    /// SciFact nDCG@10 by exact cosine retrieval over the whole corpus.
    public static func retrieveSciFact(_ e: TextEmbedder, task: RetrievalTask) -> Double {
        let docs = unitRows(e.embed(task.documents.map(\.text)))
        let judged = task.queries.filter { task.qrels.judgements[$0.id] != nil }
        let qs = unitRows(e.embed(judged.map(\.text)))
        guard let dim = docs.first?.count, !qs.isEmpty else { return 0 }
        let hits = DenseRetrieval.search(queries: qs.flatMap { $0 }, queryCount: qs.count, documents: docs.flatMap { $0 },
                                         documentCount: docs.count, dim: dim, k: 10)
        let run = DenseRetrieval.run(hits, queryIds: judged.map(\.id), documentIds: task.documents.map(\.id), tag: e.name)
        return TrecEval.evaluate(qrels: task.qrels, run: run, measures: [.ndcgCut(10)]).value(.ndcgCut(10)) ?? 0
    }

    /// Agreement of `e` with the teacher rows `teacher` [n × d] on `texts`; `targets` are the teacher rows in the
    /// model's space (PCA-projected when it is narrower), nil to skip MSE.
    public static func agreement(_ e: TextEmbedder, texts: [String], teacher: [[Float]], targets: [[Float]]?) -> AgreementScores {
        TeacherAgreement.measure(teacher: teacher, student: e.embed(texts), targets: targets)
    }
}

/// Everything Table 2 needs for one student: agreement with the teacher (and MSE×100 to its PCA targets), DL19 and
/// SciFact. `teacherRows` are the teacher's embeddings of `data.agreementTexts` (compute once with
/// `TeacherEmbeddingCache` and share across students). `int8`: evaluate the dequantised int8 copy instead.
public func evaluateQuality(_ student: DistilledStudent, teacherRows: Tensor, data: CompressionData,
                            int8: Bool = false, retrieval: Bool = true) throws -> QualityReport {
    let e = int8 ? TextEmbedder.int8(student) : TextEmbedder.student(student)
    let teacher = rowArrays(teacherRows)
    var targets = teacher
    if let pca = student.pca {
        targets = rowArrays(pca.denseLayer(k: student.dimension, centered: false)(teacherRows))
    }
    var report = QualityReport(model: e.name)
    report.agreement = QualityEvaluation.agreement(e, texts: data.agreementTexts, teacher: teacher, targets: targets)
    if retrieval {
        let r = try QualityEvaluation.rerankDL19(e, task: data.dl19)
        report.dl19NDCG10 = r.ndcg10; report.dl19MRR10 = r.mrr10; report.dl19PerQuery = r.perQuery
        report.scifactNDCG10 = QualityEvaluation.retrieveSciFact(e, task: data.scifact)
    }
    return report
}
