// Re-ranking a first-stage candidate file with text (MS MARCO's BM25 top 1000: `Corpus.CandidateFile`) with any
// ranker, in shards. The paper's evaluation: every model re-scores the BM25 top 1000 of each query and is measured on
// the re-ranked list (MRR@10 on dev-small, nDCG@10 on DL19).
//
// Shard I of N takes queries ⌊I·Q/N⌋ ..< ⌊(I+1)·Q/N⌋ of the file's Q queries in ascending qid order. Each query's
// candidates are scored together, in file order, by `Ranker.rerank` — exactly as the unsharded run scores them — and
// the run is written in ascending qid order, so the shards' runs concatenated in shard order are the unsharded run
// byte for byte. Each shard's run has a sidecar `RUN.shard.json` (`ShardRecord` with queries as its rows); the merge
// checks that every shard is there once and that they cover the queries without gap or overlap. A finished shard is
// never re-run, and an unfinished one resumes (`ResumableOutput`: the run grows in `RUN.partial` with a progress
// record every half minute; a killed shard goes on from the last record and writes the same run byte for byte).
//
// Letters: Q queries in the file, N shards.

import Foundation
import Corpus
import Eval
import Student
import Training

public enum CandidateReranking {
    /// The queries (positions in `CandidateFile.queryIDs`) of `shard` among `queries`.
    public static func queries(_ queries: Int, shard: Shard) -> Range<Int> {
        (shard.index * queries / shard.count)..<((shard.index + 1) * queries / shard.count)
    }

    /// Re-ranks the queries of `shard` in `file` with `ranker` (dropout off, no graph); `tokenize` gives a text's word
    /// pieces without special tokens. The shard's first `skipping` queries are left out (a resumed run).
    /// `progress(done, total)` is called after each query. Emits the run's lines in TREC format (`qid Q0 pid rank
    /// score tag`, queries ascending, best candidate first), one query at a time.
    public static func rerank(_ ranker: any Ranker, file: CandidateFile, shard: Shard = Shard(index: 0, count: 1)!,
                              skipping: Int = 0, tokenize: (String) -> [Int], tag: String,
                              progress: ((Int, Int) throws -> Void)? = nil, emit: (String) throws -> Void) rethrows {
        let wasTraining = ranker.training
        ranker.training = false
        defer { ranker.training = wasTraining }
        let range = queries(file.queryIDs.count, shard: shard)
        for (done, i) in range.enumerated() where done >= skipping {
            let (qid, text, candidates) = file.query(at: i)
            let scores = ranker.rerank(query: tokenize(text), passages: candidates.map { tokenize($0.text) })
            let ranked = zip(candidates, scores).map { ScoredDoc(String($0.pid), Double($1)) }.sorted(by: Run.precedes)
            var lines = ""
            for (rank, d) in ranked.enumerated() { lines += "\(qid) Q0 \(d.docid) \(rank + 1) \(d.score) \(tag)\n" }
            try emit(lines)
            try progress?(done + 1, range.count)
        }
    }

    /// The fingerprint of a re-ranking: the candidate file (size, query and line counts) and the model's identity.
    public static func fingerprint(file: CandidateFile, model: String) -> String {
        let size = ((try? FileManager.default.attributesOfItem(atPath: file.path))?[.size] as? NSNumber)?.intValue ?? 0
        return stableHash(Array("\(size)\u{1F}\(file.queryIDs.count)\u{1F}\(file.count)\u{1F}\(model)".utf8))
    }

    /// Re-ranks `shard` and writes its run to `out` with its sidecar; a shard whose run and record are already there
    /// with this fingerprint is kept as it is, and one that was stopped goes on where its last progress record
    /// (every `checkpointSeconds`, `ResumableOutput`) left it. `progress(done, total)` counts the shard's queries,
    /// resumed ones included. Returns the run's path.
    @discardableResult
    public static func rerankShard(_ ranker: any Ranker, file: CandidateFile, shard: Shard, model: String,
                                   tokenize: (String) -> [Int], tag: String, to out: URL,
                                   checkpointSeconds: Double = 30,
                                   progress: ((Int, Int) throws -> Void)? = nil) throws -> URL {
        let range = queries(file.queryIDs.count, shard: shard)
        let record = ShardRecord(shard: shard.index, of: shard.count, first: range.lowerBound, rows: range.count,
                                 total: file.queryIDs.count, fingerprint: fingerprint(file: file, model: model))
        if FileManager.default.fileExists(atPath: out.path),
           let data = FileManager.default.contents(atPath: TeacherScoreShards.sidecar(of: out).path),
           (try? JSONDecoder().decode(ShardRecord.self, from: data)) == record {
            return out
        }
        let output = try ResumableOutput([out], record: record, checkpointSeconds: checkpointSeconds)
        var pending = Data()
        try rerank(ranker, file: file, shard: shard, skipping: output.resumedUnits, tokenize: tokenize, tag: tag,
                   progress: { done, total in
                       try output.write(pending)
                       pending.removeAll(keepingCapacity: true)
                       try output.boundary(units: done)
                       try progress?(done, total)
                   },
                   emit: { pending.append(contentsOf: $0.utf8) })
        try output.finish()
        return out
    }

    /// Checks the shard runs `files` (any order) and writes their concatenation in shard order to `out`, a line at a
    /// time. Returns the queries.
    @discardableResult
    public static func merge(_ files: [URL], to out: URL) throws -> Int {
        let ordered = try ShardRecord.ordered(files, writtenBy: "reproduce paper-a --scale full --shard I/N", unit: "queries")
        try writeTextInPlace(out) { emit in
            for (f, r) in ordered {
                // A shard's run holds each of its queries' lines together: count the queries as the qid changes.
                var queries = 0, previous: [UInt8] = []
                try LineReader.forEachLine(f.path) { line, _ in
                    let qid = line.prefix { $0 != 0x20 }
                    if !qid.elementsEqual(previous) { queries += 1; previous = Array(qid) }
                    try emit(String(decoding: line, as: UTF8.self) + "\n")
                }
                guard queries == r.rows else {
                    throw ShardMergeError("\(f.path) ranks \(queries) queries, its record says \(r.rows)")
                }
            }
        }
        return ordered[0].1.total
    }
}
