// Dense retrieval at the full scale's shapes: `CollectionSearch.searchShard` (matrix products through `Kernels.sgemm`,
// top 1000 per query) over a synthetic shard of random 768-d rows, against the plain dot-product loop
// (`DenseTopK.add`, one query row at a time) on the same rows. Reports GFLOP/s and what the paper's search — 7,023
// queries (dev-small and DL19) against 8,841,823 passages — would take on this host.
import Foundation
import Eval
import MarginMSE
import Tensors

func benchSearch(_ ctx: BenchContext) throws {
    let rows = ctx.option("rows").flatMap(Int.init) ?? (ctx.quick ? 50_000 : 200_000)
    let dim = ctx.option("dim").flatMap(Int.init) ?? 768
    let queryCount = ctx.option("queries").flatMap(Int.init) ?? 512
    let k = 1000
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bench-search-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }

    var state: UInt64 = 88172645463325252
    func next() -> Float { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return Float(state >> 40) / Float(1 << 24) - 0.5 }
    let file = dir.appendingPathComponent("rows.f32")
    var data = Data(capacity: rows * dim * 4)
    for _ in 0..<(rows * dim) { withUnsafeBytes(of: next().bitPattern.littleEndian) { data.append(contentsOf: $0) } }
    try data.write(to: file)
    try Data((0..<rows).map { "\($0)\n" }.joined().utf8).write(to: CollectionEncoding.idsFile(of: file))
    try JSONEncoder().encode(ShardRecord(shard: 0, of: 1, first: 0, rows: rows, total: rows, fingerprint: "bench"))
        .write(to: TeacherScoreShards.sidecar(of: file))
    let queries = (0..<(queryCount * dim)).map { _ in next() }
    let ids = (0..<queryCount).map { "q\($0)" }
    let flop = 2 * Double(queryCount) * Double(rows) * Double(dim)

    func search(threads: Int) throws -> Double {
        let saved = Kernels.threadCount
        Kernels.threadCount = threads
        defer { Kernels.threadCount = saved }
        let start = Date()
        try CollectionSearch.searchShard(rows: file, queries: queries, queryIDs: ids, dim: dim, k: k, tag: "bench",
                                         to: dir.appendingPathComponent("run-\(threads).trec"))
        return Date().timeIntervalSince(start)
    }
    let oneThread = try search(threads: 1)

    // The dot-product loop (one thread) on a fifth of the rows (it is slow), scaled to all of them.
    let part = max(1, rows / 5)
    var top = DenseTopK(queries: queries, queryCount: queryCount, dim: dim, k: k)
    let loopStart = Date()
    data.withUnsafeBytes { raw in top.add(raw.bindMemory(to: Float.self).baseAddress!, count: part, firstIndex: 0) }
    let loopSeconds = Date().timeIntervalSince(loopStart) * Double(rows) / Double(part)
    let shape = "\(queryCount) q × \(rows / 1000)k × \(dim), top \(k)"
    ctx.record(BenchRow(case: "search \(shape)", swift: flop / oneThread / 1e9, peer: flop / loopSeconds / 1e9,
                        peerName: "dot-product loop", unit: "GFLOP/s", higherIsBetter: true, threads: 1))
    let threads = ctx.option("threads").flatMap(Int.init) ?? ProcessInfo.processInfo.activeProcessorCount
    let gemmSeconds = threads == 1 ? oneThread : try search(threads: threads)
    if threads > 1 {
        ctx.record(BenchRow(case: "search \(shape)", swift: flop / gemmSeconds / 1e9, peer: nil, peerName: nil,
                            unit: "GFLOP/s", higherIsBetter: true, threads: threads))
    }
    let paper = 2 * 7_023.0 * 8_841_823.0 * 768.0
    ctx.record(BenchRow(case: "paper's search (7,023 q × 8.84M × 768)", swift: paper / (flop / gemmSeconds) / 86_400,
                        peer: nil, peerName: nil, unit: "days", higherIsBetter: false, threads: threads))
}
