// BM25 over an in-house inverted index (the first stage of both papers' re-ranking pipelines). Scoring, Lucene's
// form (as Anserini and bm25s's default "lucene" method use it), with Anserini's defaults k1 = 0.9, b = 0.4:
//   score(q, d) = Σ_{t ∈ q} idf(t) · tf / (tf + k1 · (1 − b + b · |d| / avgdl))
//   idf(t)      = ln(1 + (N − df + 0.5) / (df + 0.5))
// Query terms are counted with multiplicity (a repeated term adds twice, as in Anserini's bag-of-words query).
// |d| is the exact number of analysed terms (Lucene quantises document lengths to one byte; we do not).
// Leaves out: RM3 expansion, positional indexes, index persistence.

import Foundation

public final class BM25Index: @unchecked Sendable {
    public let k1: Float, b: Float
    public let analyzer: Analyzer
    /// External document ids, by internal doc number.
    public let docids: [String]
    var termIds: [String: Int32] = [:]
    var postingDocs: [[Int32]] = []     // [term][posting]
    var postingTFs: [[Float]] = []      // [term][posting]
    var lengthNorm: [Float] = []        // [doc]: k1 · (1 − b + b·|d|/avgdl)
    public private(set) var averageLength: Double = 0

    /// Indexes `documents` (id, text) with the given analyser and parameters.
    public init(documents: [(id: String, text: String)], k1: Float = 0.9, b: Float = 0.4, analyzer: Analyzer = Analyzer()) {
        self.k1 = k1; self.b = b; self.analyzer = analyzer
        docids = documents.map(\.id)
        var lengths = [Int](repeating: 0, count: documents.count)
        var counts: [Int32: Int] = [:]
        for (d, doc) in documents.enumerated() {
            let terms = analyzer.terms(doc.text)
            lengths[d] = terms.count
            counts.removeAll(keepingCapacity: true)
            for t in terms {
                let id: Int32
                if let e = termIds[t] { id = e } else {
                    id = Int32(postingDocs.count); termIds[t] = id
                    postingDocs.append([]); postingTFs.append([])
                }
                counts[id, default: 0] += 1
            }
            for (t, c) in counts { postingDocs[Int(t)].append(Int32(d)); postingTFs[Int(t)].append(Float(c)) }
        }
        let total = lengths.reduce(0, +)
        averageLength = documents.isEmpty ? 0 : Double(total) / Double(documents.count)
        let avg = Float(max(averageLength, 1e-9))
        lengthNorm = lengths.map { k1 * (1 - b + b * Float($0) / avg) }
    }

    public var documentCount: Int { docids.count }
    public var vocabularySize: Int { termIds.count }

    /// idf(t) = ln(1 + (N − df + 0.5)/(df + 0.5)).
    public func idf(documentFrequency df: Int) -> Float {
        Float(log(1 + (Double(documentCount) - Double(df) + 0.5) / (Double(df) + 0.5)))
    }

    /// BM25 scores of `query` against every document ([N]).
    public func scores(_ query: String) -> [Float] {
        var s = [Float](repeating: 0, count: documentCount)
        s.withUnsafeMutableBufferPointer { acc in
            lengthNorm.withUnsafeBufferPointer { norm in
                for t in analyzer.terms(query) {
                    guard let id = termIds[t] else { continue }
                    let docs = postingDocs[Int(id)], tfs = postingTFs[Int(id)]
                    let w = idf(documentFrequency: docs.count)
                    docs.withUnsafeBufferPointer { dp in
                        tfs.withUnsafeBufferPointer { tp in
                            for i in 0..<dp.count {
                                let d = Int(dp[i]), tf = tp[i]
                                acc[d] += w * tf / (tf + norm[d])
                            }
                        }
                    }
                }
            }
        }
        return s
    }

    /// The top `k` documents for `query` (positive scores only, as a term-at-a-time engine retrieves only documents
    /// that match a term), in trec_eval order (score descending, docno descending).
    public func search(_ query: String, k: Int) -> [ScoredDoc] {
        let s = scores(query)
        let matched = s.indices.filter { s[$0] > 0 }
        let top = TopK.select(matched.count, k: k,
                              score: { s[matched[$0]] }, before: { byteOrder(self.docids[matched[$1]], self.docids[matched[$0]]) })
        return top.map { ScoredDoc(docids[matched[$0]], Double(s[matched[$0]])) }
    }

    /// A run: the top `k` for each (qid, text) query.
    public func run(queries: [(id: String, text: String)], k: Int, tag: String = "bm25") -> Run {
        var r: [String: [ScoredDoc]] = [:]
        for q in queries { r[q.id] = search(q.text, k: k) }
        return Run(r, tag: tag)
    }
}
