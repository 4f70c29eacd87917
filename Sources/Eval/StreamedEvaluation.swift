// trec_eval's means over a run file too large to hold (a full-scale dense-retrieval run: 7,023 queries × 1,000
// lines), read one query at a time. Each measure comes with its own options (MRR@10 is `-M 10`, R@1000 at relevance
// 2 is `-l 2`), and the result is what `TrecEval.evaluate` gives on the whole run: the mean over the queries that are
// both in the run and in the qrels.
// Leaves out: count measures (num_q, num_ret, …); runs whose lines of one query are scattered (an error, naming the
// line: every run this package writes keeps a query's lines together).

import Corpus

extension TrecEval {
    /// The mean of each (measure, options) over the queries of the run file at `path` that `qrels` judges, reading the
    /// file one query at a time (memory holds one query's lines).
    public static func evaluateFile(_ path: String, qrels: Qrels, measures: [(Measure, EvalOptions)]) throws -> [Double] {
        precondition(measures.allSatisfy { !$0.0.kind.isCount }, "evaluateFile: means only, not counts")
        var sums = [Double](repeating: 0, count: measures.count), evaluated = 0
        var current: String?, docs: [ScoredDoc] = [], finished = Set<String>()
        func flush() {
            guard let q = current else { return }
            finished.insert(q)
            if let judged = qrels.judgements[q] {
                for (i, (m, o)) in measures.enumerated() {
                    sums[i] += evaluateQuery(judged: judged, docs: docs, measures: [m], options: o)[0]
                }
                evaluated += 1
            }
            docs.removeAll(keepingCapacity: true)
        }
        try Run.forEachLine(path) { line, n in
            if line.qid != current {
                flush()
                guard !finished.contains(line.qid) else {
                    throw DataFormatError(file: path, line: n, expected: "the lines of query \(line.qid) together",
                                          found: "query \(line.qid) again after other queries")
                }
                current = line.qid
            }
            docs.append(ScoredDoc(line.docid, line.score))
        }
        flush()
        return sums.map { evaluated > 0 ? $0 / Double(evaluated) : 0 }
    }
}
