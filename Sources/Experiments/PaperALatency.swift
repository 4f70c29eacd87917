// Query latency as the Margin-MSE paper measures it: the time to re-rank one query's candidates, "with cached passage
// representations where possible" (Table A, Figure C). Passage representations of each query's candidates are
// computed beforehand and not timed; BERT_CAT, which cannot cache, scores the full pairs. Median over test queries
// (each timed once after one warm-up query), on the thread count of the run.

import Foundation
import Eval
import MarginMSE
import Student

public struct LatencyRecord: Codable, Sendable {
    public var medianMs: Double
    public var p90Ms: Double
    public var queries: Int
    public var candidates: Int
    public var cached: Bool
    /// Floats stored per cached passage (0 when nothing is cached).
    public var floatsPerPassage: Double
    public var parameters: Int
}

extension PaperAPipeline {
    /// Latency of re-ranking `depth` candidates for up to `queries` test queries with `ranker`, cached under `id`.
    public func latency(_ ranker: any Ranker, id: String, queries: Int? = nil) throws -> LatencyRecord {
        struct Key: Codable { var id: String; var data: String; var depth: Int; var threads: Int; var queries: Int }
        let n = queries ?? (context.usesSyntheticData ? 4 : 12)
        return try cache.value(kind: "latency", config: Key(id: id, data: dataIdentity, depth: plan.depth,
                                                             threads: context.threads, queries: n)) {
            context.progress("    timing \(id)")
            let qids = Array(testFold.queryIDsWithCandidates.prefix(n + 1))
            var samples: [Double] = []
            var floats = 0.0
            for (i, qid) in qids.enumerated() {
                let q = testTexts.queries[qid] ?? []
                let passages = testFold.candidates.ranked(qid).prefix(plan.depth).map { testTexts.passages[$0.docid] ?? [] }
                let t0: UInt64
                if let c = ranker as? any CachingRanker {
                    let cache = c.cachePassages(passages)
                    floats = cache.floatsPerPassage
                    t0 = DispatchTime.now().uptimeNanoseconds
                    _ = c.score(query: q, cached: cache)
                } else {
                    t0 = DispatchTime.now().uptimeNanoseconds
                    _ = ranker.rerank(query: q, passages: passages)
                }
                if i > 0 { samples.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6) }   // first is warm-up
            }
            let s = Measurement.summarize(samples.map { $0 / 1000 })
            return LatencyRecord(medianMs: s.median * 1000, p90Ms: s.p90 * 1000, queries: samples.count,
                                 candidates: plan.depth, cached: ranker is any CachingRanker,
                                 floatsPerPassage: floats, parameters: ranker.parameterCount)
        }
    }
}

extension RerankingData {
    /// Judged queries with candidates, byte order.
    var queryIDsWithCandidates: [String] {
        candidates.results.keys.filter { qrels.judgements[$0] != nil }.sorted(by: byteOrder)
    }
}
