// Dense retrieval over an encoded collection (Margin-MSE Table E at the paper's scale: the top 1000 of 8.8M passages
// for every dev-small and DL19 query), exact and in shards.
//
// A shard's rows (`CollectionEncoding.encode` with the same `--shard I/N`: a float32 file, its `.ids` and its record)
// are memory-mapped and streamed in blocks; each block is scored against a chunk of queries by one matrix product
// (`Kernels.sgemm`, whose sums run in a fixed order whatever the block, the thread count or the CPU) and offered to
// `Eval.DenseTopK`, which keeps each query's k best (ties by lower position in the collection). The shard's run is written in TREC format, queries in the given order,
// best first, each score printed so that it reads back as the same Float. `merge` takes, per query, the k best of
// all shards' lists by (score descending, shard, line): the shards hold increasing ranges of positions and each list
// is already ordered so, so the merged run is the run one unsharded search writes, byte for byte.
// Leaves out: approximate search (the paper used an exact index too), fp16 rows.

import Foundation
import Corpus
import Eval
import Training
import Tensors

public enum CollectionSearch {
    /// Searches one encoded shard: `rows` (with `rows.ids` and its shard record beside it) for the queries
    /// [queryIDs.count × dim], k best each; writes the run to `out` (temporary file, then rename) with a shard record.
    /// A shard whose run and record are already there with this fingerprint is kept. `progress(done, total)` counts
    /// passages.
    @discardableResult
    public static func searchShard(rows: URL, queries: [Float], queryIDs: [String], dim: Int, k: Int, tag: String,
                                   to out: URL, blockRows: Int = 2_048,
                                   progress: ((Int, Int) -> Void)? = nil) throws -> URL {
        precondition(queries.count == queryIDs.count * dim && dim > 0 && blockRows > 0, "CollectionSearch: query matrix")
        let side = TeacherScoreShards.sidecar(of: rows)
        guard let recordData = FileManager.default.contents(atPath: side.path),
              let encoded = try? JSONDecoder().decode(ShardRecord.self, from: recordData) else {
            throw ShardMergeError("\(rows.path): no shard record beside it (written by 'reproduce encode --collection')")
        }
        var queryBytes = Data(count: queries.count * 4)
        queryBytes.withUnsafeMutableBytes { b in queries.withUnsafeBytes { b.copyMemory(from: $0) } }
        let fingerprint = stableHash(Array("\(encoded.fingerprint)|\(k)|\(tag)|\(queryIDs.joined(separator: ","))|".utf8)
                                     + Array(queryBytes))
        let record = ShardRecord(shard: encoded.shard, of: encoded.of, first: encoded.first, rows: encoded.rows,
                                 total: encoded.total, fingerprint: fingerprint)
        if let d = FileManager.default.contents(atPath: TeacherScoreShards.sidecar(of: out).path),
           (try? JSONDecoder().decode(ShardRecord.self, from: d)) == record,
           FileManager.default.fileExists(atPath: out.path) { return out }

        let pids = try String(contentsOf: CollectionEncoding.idsFile(of: rows), encoding: .utf8).split(separator: "\n")
        guard pids.count == encoded.rows else {
            throw ShardMergeError("\(CollectionEncoding.idsFile(of: rows).path) lists \(pids.count) passages, its record says \(encoded.rows)")
        }
        let matrix = try Data(contentsOf: rows, options: .alwaysMapped)
        guard matrix.count == encoded.rows * dim * 4 else {
            throw ShardMergeError("\(rows.path): \(matrix.count) bytes, expected \(encoded.rows) rows of \(dim) float32")
        }
        var top = DenseTopK(queries: queries, queryCount: queryIDs.count, dim: dim, k: min(k, encoded.rows))
        let queryChunk = 256
        var scores = [Float](repeating: 0, count: min(queryChunk, queryIDs.count) * blockRows)
        matrix.withUnsafeBytes { raw in
            guard encoded.rows > 0, !queryIDs.isEmpty else { return }
            let floats = raw.bindMemory(to: Float.self).baseAddress!
            queries.withUnsafeBufferPointer { q in
                scores.withUnsafeMutableBufferPointer { c in
                    var start = 0
                    while start < encoded.rows {
                        let n = min(blockRows, encoded.rows - start)
                        for q0 in stride(from: 0, to: queryIDs.count, by: queryChunk) {
                            let q1 = min(q0 + queryChunk, queryIDs.count)
                            // scores [q1 − q0, n] = queries [q1 − q0, dim] · rowsᵀ [dim, n]
                            Kernels.sgemm(transA: false, transB: true, m: q1 - q0, n: n, k: dim,
                                          a: q.baseAddress! + q0 * dim, lda: dim, b: floats + start * dim, ldb: dim,
                                          c: c.baseAddress!, ldc: n)
                            top.add(scores: c.baseAddress!, queries: q0..<q1, count: n, firstIndex: start)
                        }
                        start += n
                        progress?(start, encoded.rows)
                    }
                }
            }
        }
        let results = top.results()
        try writeTextInPlace(out) { emit in
            for (qi, hits) in results.enumerated() {
                for (rank, hit) in hits.enumerated() { try emit("\(queryIDs[qi]) Q0 \(pids[hit.index]) \(rank + 1) \(hit.score) \(tag)\n") }
            }
        }
        try record.write(besides: out)
        return out
    }

    /// Checks the shard runs `files` (any order: every shard of one search once) and writes, per query, the k best of
    /// all of them to `out` — the run an unsharded search writes. Returns the queries.
    @discardableResult
    public static func merge(_ files: [URL], k: Int, to out: URL) throws -> Int {
        let ordered = try ShardRecord.ordered(files, writtenBy: "reproduce paper-a --scale full --shard I/N", unit: "passages")
        // Each shard's run, mapped, and the byte range of each query's lines (queries in one order in every shard):
        // memory holds one query's candidates at a time, whatever the number of shards.
        var runs: [(data: Data, blocks: [(qid: String, range: Range<Int>)])] = []
        for (f, _) in ordered {
            let data = try Data(contentsOf: f, options: .alwaysMapped)
            var blocks: [(qid: String, range: Range<Int>)] = []
            data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                let b = raw.bindMemory(to: UInt8.self)
                var start = 0
                while start < b.count {
                    var end = start
                    while end < b.count && b[end] != 0x0A { end += 1 }
                    var space = start
                    while space < end && b[space] != 0x20 { space += 1 }
                    let qid = String(decoding: UnsafeBufferPointer(rebasing: b[start..<space]), as: UTF8.self)
                    let stop = Swift.min(end + 1, b.count)   // the line and its "\n", if it has one
                    if blocks.last?.qid == qid { blocks[blocks.count - 1].range = blocks[blocks.count - 1].range.lowerBound..<stop }
                    else if end > start { blocks.append((qid, start..<stop)) }
                    start = end + 1
                }
            }
            runs.append((data, blocks))
        }
        // A shard of no passages (a small collection cut at block boundaries) ranks nothing.
        let searched = runs.indices.filter { ordered[$0].1.rows > 0 }
        let queries = searched.first.map { runs[$0].blocks.map(\.qid) } ?? []
        for i in searched where runs[i].blocks.map(\.qid) != queries {
            throw ShardMergeError("\(ordered[i].0.path) ranks other queries than \(ordered[searched[0]].0.path) (or in another order)")
        }
        try writeTextInPlace(out) { emit in
            for (qi, qid) in queries.enumerated() {
                var hits: [(score: Float, shard: Int, line: Int, fields: [Substring])] = []
                for s in searched {
                    let block = runs[s].blocks[qi].range
                    let text = String(decoding: runs[s].data[(runs[s].data.startIndex + block.lowerBound)..<(runs[s].data.startIndex + block.upperBound)], as: UTF8.self)
                    for (l, line) in text.split(separator: "\n").enumerated() {
                        let f = line.split(separator: " ")
                        guard f.count == 6, let score = Float(f[4]) else {
                            throw ShardMergeError("\(ordered[s].0.path): '\(line)' is not 'qid Q0 pid rank score tag'")
                        }
                        hits.append((score, s, l, f))
                    }
                }
                hits.sort { a, b in a.score != b.score ? a.score > b.score : a.shard != b.shard ? a.shard < b.shard : a.line < b.line }
                for (rank, h) in hits.prefix(k).enumerated() {
                    try emit("\(qid) Q0 \(h.fields[2]) \(rank + 1) \(h.fields[4]) \(h.fields[5])\n")
                }
            }
        }
        return queries.count
    }
}
