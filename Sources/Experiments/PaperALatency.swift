// Query latency as the Margin-MSE paper measures it: the time to re-rank one query's candidates, "with cached passage
// representations where possible" (Table A, Figure C). Passage representations of each query's candidates are
// computed beforehand and not timed — in the panel once, at the query's first turn, and kept for the later rounds, as
// an index would hold them —; BERT_CAT, which cannot cache, scores the full pairs. Median over test queries,
// on the thread count of the run. The plan's students are timed **in turn** (`latencyPanel`): rounds in which every
// student re-ranks the same queries (one warm-up query each turn), so that they meet the same states of a shared
// host; timed one after another, minutes apart, BERT_CAT and PreTT had swapped places between runs (221–285 and
// 266–310 ms).

import Foundation
import Eval
import MarginMSE
import Student
import Tensors
import Training

public struct LatencyRecord: Codable, Sendable {
    public var medianMs: Double
    public var p90Ms: Double
    public var queries: Int
    public var candidates: Int
    public var cached: Bool
    /// Floats stored per cached passage (0 when nothing is cached).
    public var floatsPerPassage: Double
    public var parameters: Int
    /// Peak memory of re-ranking one query (MB): the weights (4 bytes a parameter) plus the most the re-ranking holds
    /// at once (`Tensors.WorkingMemory`), the largest over the timed queries; the cached passage representations,
    /// computed beforehand, are the storage column's, not counted here. Nil in records measured before.
    public var peakMemoryMB: Double?
}

extension PaperAPipeline {
    /// Test queries timed per turn, and rounds of the panel.
    var latencyQueries: Int { context.usesSyntheticData ? 4 : 12 }
    var latencyRounds: Int { context.usesSyntheticData ? 2 : 5 }

    /// Latency of re-ranking `depth` candidates with `ranker`: for one of the plan's students (`id` =
    /// "paperName-label"), its entry of the panel timed in turn; any other ranker is timed alone, cached under `id`.
    public func latency(_ ranker: any Ranker, id: String, queries: Int? = nil) throws -> LatencyRecord {
        if queries == nil, let record = try latencyPanel()[id] { return record }
        struct Key: Codable { var id: String; var data: String; var depth: Int; var threads: Int; var queries: Int
                              var memory = true }
        let n = queries ?? latencyQueries
        return try cache.value(kind: "latency", config: Key(id: id, data: dataIdentity, depth: plan.depth,
                                                             threads: context.threads, queries: n)) {
            context.progress("    timing \(id)")
            var samples: [Double] = [], floats = 0.0, memory = 0
            for (i, qid) in try mainTestSet.queryIDsWithCandidates.prefix(n + 1).enumerated() {
                let q = try prepareQuery(ranker, qid)
                let (seconds, grown) = q.timeAndMemory(ranker)
                floats = q.floats; memory = max(memory, grown)
                if i > 0 { samples.append(seconds) }   // the first is a warm-up
            }
            return latencyRecord(samples, ranker: ranker, floats: floats, workingBytes: memory)
        }
    }

    /// The plan's students (their T2 versions; latency does not depend on the teacher) timed in turn: in each of
    /// `latencyRounds` rounds every student re-ranks a warm-up query and then `latencyQueries` test queries, the
    /// order of students alternating between rounds; a student's record is over all its timed queries.
    func latencyPanel() throws -> [String: LatencyRecord] {
        // `passagesOnce`: each query's passages are cached once for all rounds, not once per turn (where every timed
        // query followed its own passage encoding); `memory`: the records hold peak memory. In the key, so that a
        // panel measured before either is measured again.
        struct Key: Codable { var ids: [String]; var data: String; var depth: Int; var threads: Int; var queries: Int
                              var rounds: Int; var passagesOnce = true; var memory = true }
        let specs = plan.students, ids = specs.map { "\($0.paperName)-\($0.label)" }
        let n = latencyQueries, rounds = latencyRounds
        return try cache.value(kind: "latency-panel", config: Key(ids: ids, data: dataIdentity, depth: plan.depth,
                                                                   threads: context.threads, queries: n,
                                                                   rounds: rounds)) {
            context.progress("    timing \(specs.count) students in turn (\(rounds) rounds of \(n) queries)")
            let models = try specs.map { try student($0, regime: .t2).0 }
            let qids = Array(try mainTestSet.queryIDsWithCandidates.prefix(n + 1))
            var samples = Array(repeating: [Double](), count: models.count)
            var floats = Array(repeating: 0.0, count: models.count), memory = Array(repeating: 0, count: models.count)
            // A query's cached passages are computed at its first turn and kept for the later rounds: the offline
            // part is never timed, so computing it once per student and query (not once per round) saves minutes.
            var prepared = Array(repeating: [String: LatencyQuery](), count: models.count)
            let report = throttledFractionProgress("      turns", context.progress)
            var turns = 0
            for round in 0..<rounds {
                for i in round % 2 == 0 ? Array(models.indices) : Array(models.indices.reversed()) {
                    for (j, qid) in qids.enumerated() {
                        let q = try prepared[i][qid] ?? prepareQuery(models[i], qid)
                        prepared[i][qid] = q
                        let (seconds, grown) = q.timeAndMemory(models[i])
                        floats[i] = q.floats; memory[i] = max(memory[i], grown)
                        if j > 0 { samples[i].append(seconds) }   // the first query of a turn is a warm-up
                    }
                    turns += 1
                    report(Double(turns) / Double(rounds * models.count))
                }
            }
            return Dictionary(uniqueKeysWithValues: models.indices.map {
                (ids[$0], latencyRecord(samples[$0], ranker: models[$0], floats: floats[$0], workingBytes: memory[$0]))
            })
        }
    }

    /// `qid`'s query and candidates for `ranker`, with the passages cached where the ranker can (untimed).
    private func prepareQuery(_ ranker: any Ranker, _ qid: String) throws -> LatencyQuery {
        let texts = try testTexts
        let passages = try mainTestSet.candidates.ranked(qid).prefix(plan.depth).map { texts.passages[$0.docid] ?? [] }
        return LatencyQuery(ranker, query: texts.queries[qid] ?? [], passages: passages)
    }

    private func latencyRecord(_ samples: [Double], ranker: any Ranker, floats: Double, workingBytes: Int) -> LatencyRecord {
        var r = LatencyRecord(samples: samples, ranker: ranker, floats: floats, candidates: plan.depth)
        r.peakMemoryMB = Double(4 * ranker.parameterCount + workingBytes) / 1e6
        return r
    }
}

/// One query made ready for timing a ranker: the query, its candidates and — where the ranker can cache passage
/// representations — the cache, computed here (the offline part, never timed).
struct LatencyQuery {
    let query: [Int]
    let passages: [[Int]]
    let cache: CachedPassages?

    init(_ ranker: any Ranker, query: [Int], passages: [[Int]]) {
        self.query = query; self.passages = passages
        cache = (ranker as? any CachingRanker)?.cachePassages(passages)
    }

    /// Floats cached per passage (0 when the ranker cannot cache).
    var floats: Double { cache?.floatsPerPassage ?? 0 }

    /// Seconds for `ranker` (the one this was made for) to re-rank the candidates: scoring against the cache where
    /// there is one, the full pairs otherwise.
    func time(_ ranker: any Ranker) -> Double {
        let t0 = DispatchTime.now().uptimeNanoseconds
        if let cache, let c = ranker as? any CachingRanker {
            _ = c.score(query: query, cached: cache)
        } else {
            _ = ranker.rerank(query: query, passages: passages)
        }
        return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    }

    /// `time(ranker)`, and the most bytes the re-ranking held at once beyond what was held before
    /// (`WorkingMemory.peakGrowth`).
    func timeAndMemory(_ ranker: any Ranker) -> (seconds: Double, workingBytes: Int) {
        var seconds = 0.0
        let grown = WorkingMemory.peakGrowth { seconds = time(ranker) }
        return (seconds, grown)
    }
}

extension LatencyRecord {
    /// Seconds for `ranker` to re-rank `passages` for `query` — passage representations computed beforehand, untimed,
    /// where the ranker can cache them — and the floats it caches per passage (0 when it cannot).
    static func time(_ ranker: any Ranker, query: [Int], passages: [[Int]]) -> (seconds: Double, floats: Double) {
        let q = LatencyQuery(ranker, query: query, passages: passages)
        return (q.time(ranker), q.floats)
    }

    /// The median and 90th percentile of `samples` (seconds) in milliseconds, with what was timed.
    init(samples: [Double], ranker: any Ranker, floats: Double, candidates: Int) {
        let s = Measurement.summarize(samples)
        self.init(medianMs: s.median * 1000, p90Ms: s.p90 * 1000, queries: samples.count, candidates: candidates,
                  cached: ranker is any CachingRanker, floatsPerPassage: floats, parameters: ranker.parameterCount)
    }
}

extension RerankingData {
    /// Judged queries with candidates, byte order.
    var queryIDsWithCandidates: [String] {
        candidates.results.keys.filter { qrels.judgements[$0] != nil }.sorted(by: byteOrder)
    }
}
