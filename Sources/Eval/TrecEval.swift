// Evaluation with trec_eval 9.0.4 semantics: which queries count, how documents are ordered, and how per-query values
// become the "all" line. See Measure.swift for each measure's definition and Docs/Eval.md for worked examples.
//   - Evaluated queries: those in the run that also have at least one judgement (any grade, even all 0) in the qrels;
//     queries only in the qrels are ignored (trec_eval without -c). A query with no relevant document still counts
//     and scores 0 on map, recall, P, ndcg, ….
//   - Order: score descending, then docno descending in byte order; the file's rank column is ignored. Then the first
//     M (`maxDocuments`, trec_eval -M) documents are kept.
//   - "all": mean over evaluated queries; num_* are summed; num_q counts.
// Leaves out: -c (average over all qrels queries), -J (judged only), -N, gain files, relevance thresholds per measure.

import Foundation

/// trec_eval's options that change values.
public struct EvalOptions: Sendable, Equatable {
    /// `-l`: the lowest grade that counts as relevant for binary measures (default 1).
    public var relevanceLevel: Int
    /// `-M`: documents kept per query after sorting (default: all).
    public var maxDocuments: Int
    public init(relevanceLevel: Int = 1, maxDocuments: Int = .max) {
        self.relevanceLevel = relevanceLevel; self.maxDocuments = maxDocuments
    }
}

/// The result of an evaluation: per-query values and the aggregate, for each measure.
public struct Evaluation: Sendable {
    public let measures: [Measure]
    /// Evaluated query ids in trec_eval's printing order (byte order).
    public let queries: [String]
    /// perQuery[qid][i] is the value of measures[i] for that query.
    public let perQuery: [String: [Double]]
    /// aggregate[i]: the mean (or the sum, for counts) over evaluated queries.
    public let aggregate: [Double]

    public func value(_ m: Measure) -> Double? { measures.firstIndex(of: m).map { aggregate[$0] } }
    public func values(_ m: Measure) -> [String: Double] {
        guard let i = measures.firstIndex(of: m) else { return [:] }
        return perQuery.mapValues { $0[i] }
    }
}

public enum TrecEval {
    /// Evaluates `run` against `qrels` on `measures` (deduplicated, put in trec_eval order).
    public static func evaluate(qrels: Qrels, run: Run, measures: [Measure],
                                options: EvalOptions = EvalOptions()) -> Evaluation {
        let ms = Array(Set(measures)).sorted()
        let queries = run.results.keys.filter { qrels.judgements[$0] != nil }.sorted(by: byteOrder)
        var per: [String: [Double]] = [:]
        per.reserveCapacity(queries.count)
        for q in queries {
            per[q] = evaluateQuery(judged: qrels.judgements[q]!, docs: run.results[q]!, measures: ms, options: options)
        }
        var agg = [Double](repeating: 0, count: ms.count)
        for q in queries { let v = per[q]!; for i in 0..<ms.count { agg[i] += v[i] } }
        for (i, m) in ms.enumerated() {
            if m.kind == .numQ { agg[i] = Double(queries.count) }
            else if !m.kind.isCount { agg[i] = queries.isEmpty ? 0 : agg[i] / Double(queries.count) }
        }
        return Evaluation(measures: ms, queries: queries, perQuery: per, aggregate: agg)
    }

    /// One query's values, in the order of `measures`.
    public static func evaluateQuery(judged: [String: Int], docs: [ScoredDoc], measures: [Measure],
                                     options: EvalOptions) -> [Double] {
        // Relevance of each retrieved document, in trec_eval order, cut at M.
        // Sort indices, not documents (moving Strings costs retains); docnos are compared only on tied scores.
        var order = [Int32](0..<Int32(docs.count))
        var scores = [Double](repeating: 0, count: docs.count)
        for i in 0..<docs.count { scores[i] = docs[i].score }
        scores.withUnsafeBufferPointer { s in
            order.sort { i, j in
                let a = s[Int(i)], b = s[Int(j)]
                return a != b ? a > b : byteOrder(docs[Int(j)].docid, docs[Int(i)].docid)
            }
        }
        let n = min(order.count, options.maxDocuments)
        var rels = [Int](repeating: 0, count: n)
        if !judged.isEmpty { for i in 0..<n { rels[i] = judged[docs[Int(order[i])].docid] ?? 0 } }
        return values(rels: rels, judgedGrades: Array(judged.values), measures: measures,
                      level: options.relevanceLevel)
    }

    /// The measures from the relevance list of a ranking (`rels[i]` = grade of the document at rank i+1, 0 when
    /// unjudged) and every judged grade of the query.
    public static func values(rels: [Int], judgedGrades: [Int], measures: [Measure], level: Int) -> [Double] {
        let numRel = judgedGrades.reduce(0) { $0 + ($1 >= level ? 1 : 0) }
        let R = Double(numRel)
        let n = rels.count
        // relAt[i]: relevant documents in the top i; apSum[i]: Σ of precision at relevant ranks within the top i.
        var relAt = [Int](repeating: 0, count: n + 1)
        var apSum = [Double](repeating: 0, count: n + 1)
        var firstRel = 0
        for i in 0..<n {
            let isRel = rels[i] >= level
            relAt[i + 1] = relAt[i] + (isRel ? 1 : 0)
            apSum[i + 1] = apSum[i] + (isRel ? Double(relAt[i + 1]) / Double(i + 1) : 0)
            if isRel && firstRel == 0 { firstRel = i + 1 }
        }
        func relIn(_ k: Int) -> Int { relAt[min(k, n)] }
        // DCG prefix sums over the ranking and over the ideal ordering of all positive judged gains.
        let needsDCG = measures.contains { $0.kind == .ndcg || $0.kind == .ndcgCut }
        var dcg: [Double] = [], idcg: [Double] = []
        if needsDCG {
            dcg = [Double](repeating: 0, count: n + 1)
            for i in 0..<n { dcg[i + 1] = dcg[i] + (rels[i] > 0 ? Double(rels[i]) / log2(Double(i + 2)) : 0) }
            let ideal = judgedGrades.filter { $0 > 0 }.sorted(by: >)
            idcg = [Double](repeating: 0, count: ideal.count + 1)
            for i in 0..<ideal.count { idcg[i + 1] = idcg[i] + Double(ideal[i]) / log2(Double(i + 2)) }
        }
        func ndcgAt(_ k: Int) -> Double {
            let ideal = idcg[min(k, idcg.count - 1)]
            return ideal > 0 ? dcg[min(k, n)] / ideal : 0
        }
        return measures.map { m -> Double in
            let k = m.cutoff ?? 0
            switch m.kind {
            case .numQ: return 1
            case .numRet: return Double(n)
            case .numRel: return R
            case .numRelRet: return Double(relAt[n])
            case .map: return numRel > 0 ? apSum[n] / R : 0
            case .rprec: return numRel > 0 ? Double(relIn(numRel)) / R : 0
            case .recipRank: return firstRel > 0 ? 1 / Double(firstRel) : 0
            case .precision: return Double(relIn(k)) / Double(k)
            case .recall: return numRel > 0 ? Double(relIn(k)) / R : 0
            case .ndcg: return ndcgAt(.max)
            case .ndcgCut: return ndcgAt(k)
            case .mapCut: return numRel > 0 ? apSum[min(k, n)] / R : 0
            case .success: return relIn(k) > 0 ? 1 : 0
            }
        }
    }

    /// trec_eval's printed layout: `name<pad to 22><TAB>qid<TAB>value`, counts as integers, the rest `%.4f`;
    /// per-query lines (queries in byte order, `num_q` omitted) before the `all` lines when `perQuery`.
    public static func format(_ e: Evaluation, perQuery: Bool = false) -> String {
        var out = ""
        func line(_ m: Measure, _ q: String, _ v: Double) {
            let name = m.description.padding(toLength: max(22, m.description.count), withPad: " ", startingAt: 0)
            let value = m.kind.isCount ? String(Int(v.rounded())) : String(format: "%.4f", v)
            out += "\(name)\t\(q)\t\(value)\n"
        }
        if perQuery {
            for q in e.queries {
                let v = e.perQuery[q]!
                for (i, m) in e.measures.enumerated() where m.kind != .numQ { line(m, q, v[i]) }
            }
        }
        for (i, m) in e.measures.enumerated() { line(m, "all", e.aggregate[i]) }
        return out
    }
}
