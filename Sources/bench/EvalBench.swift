// `bench eval`: the Eval/Corpus targets, each against its peer in the same run:
//   metrics over a 7,000-query × 1,000-document run vs pytrec_eval (target ≥ 1×);
//   BM25 index + 100 queries over Vaswani vs bm25s (target ≥ 1×; needs ../shared/data);
//   teacher-score file parsing in lines/s (target ≥ 1M lines/s) vs a plain Python loop, and peak memory after a
//   1M-line and a 4M-line file (bounded memory: the second must not grow with the file).
import Corpus
import Eval
import Foundation
import Tensors

func benchEval(_ ctx: BenchContext) throws {
    let dir = NSTemporaryDirectory() + "bench-eval-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }

    // 1. Teacher-score parsing first, so that the peak-memory readings are not masked by the larger parts below:
    //    1M and 4M lines (1/4 in --quick).
    var g = SplitMix64(seed: 5)
    let rssBefore = Measurement.peakResidentBytes()
    let small = ctx.quick ? 250_000 : 1_000_000
    var peakAfter: [Int] = []
    for lines in [small, 4 * small] {
        let path = dir + "/scores-\(lines).tsv"
        try writeTeacherScores(path, lines: lines, rng: &g)
        var sum: Float = 0, n = 0
        let ts = measure(warmup: 0, minRounds: 1, minTime: 0) {
            sum = 0; n = 0
            try? TeacherScores.forEachRow(path) { r in sum += r.margin; n += 1 }
        }
        peakAfter.append(Measurement.peakResidentBytes())
        let p = try runPeer("eval_teacher.py", [path]) as? [String: Any]
        let peerRate = (p?["seconds"] as? Double).map { Double(lines) / $0 / 1e6 }
        ctx.record(BenchRow(case: "teacher scores \(lines / 1000)k lines", swift: Double(n) / ts / 1e6, peer: peerRate,
                            peerName: "python split", unit: "M lines/s", higherIsBetter: true, threads: 1))
        try? FileManager.default.removeItem(atPath: path)
    }
    print(String(format: "peak RSS before parsing: %.1f MiB; after %dk lines: %.1f MiB; after %dk lines: %.1f MiB",
                 Double(rssBefore) / 1048576, small / 1000, Double(peakAfter[0]) / 1048576, 4 * small / 1000,
                 Double(peakAfter[1]) / 1048576))


    // 2. Metrics: a seeded synthetic run, 7,000 queries × 1,000 documents, 1–3 relevant per query.
    let nq = ctx.quick ? 700 : 7000
    var runText = "", qrelsText = ""
    runText.reserveCapacity(nq * 1000 * 32)
    for q in 0..<nq {
        for d in 0..<1000 { runText += "\(q) Q0 p\(q &* 7919 &+ d * 13) \(d + 1) \(Double(g.next() % 100_000) / 1000) r\n" }
        for j in 0..<(1 + Int(g.next() % 3)) { qrelsText += "\(q) 0 p\(q &* 7919 &+ Int(g.next() % 1200) * 13 + j) \(1 + Int(g.next() % 2))\n" }
    }
    let runPath = dir + "/run.trec", qrelsPath = dir + "/qrels.txt"
    try Data(runText.utf8).write(to: URL(fileURLWithPath: runPath), options: .atomic)
    try Data(qrelsText.utf8).write(to: URL(fileURLWithPath: qrelsPath), options: .atomic)
    runText = ""
    let run = try Run.read(runPath), qrels = try Qrels.read(qrelsPath)
    let measures: [Measure] = [.map, .ndcgCut(10), .recipRank, .recall(1000), .precision(10)]
    var map = 0.0
    let t = measure(warmup: 1, minRounds: 3, minTime: 0) {
        map = TrecEval.evaluate(qrels: qrels, run: run, measures: measures).value(.map) ?? 0
    }
    let peer = try runPeer("eval_metrics.py", [qrelsPath, runPath]) as? [String: Any]
    if let pm = peer?["map"] as? Double, abs(pm - map) > 1e-3 { print("note: MAP differs from pytrec_eval: \(map) vs \(pm) (ties)") }
    ctx.record(BenchRow(case: "metrics \(nq)q×1000d (5 measures)", swift: t, peer: peer?["seconds"] as? Double,
                        peerName: "pytrec_eval", unit: "s", higherIsBetter: false, threads: 1))

    // 3. BM25 over Vaswani: index + 100 queries, top 100.
    let shared = sharedDirectory() + "/data"
    if FileManager.default.fileExists(atPath: shared + "/vaswani/doc-text.trec") {
        let docs = try TrecSGML.readDocuments(shared + "/vaswani/doc-text.trec").map { ($0.id, $0.text) }
        let queries = Array(try TrecSGML.readTopics(shared + "/vaswani/query-text.trec").prefix(100)).map { ($0.id, $0.text) }
        let tb = measure(warmup: 1, minRounds: 3, minTime: 0) {
            let idx = BM25Index(documents: docs)
            _ = idx.run(queries: queries, k: 100)
        }
        let p = try runPeer("eval_bm25s.py", ["time", "vaswani", shared, "100"]) as? [String: Any]
        ctx.record(BenchRow(case: "BM25 Vaswani index + \(queries.count) queries", swift: tb, peer: p?["seconds"] as? Double,
                            peerName: "bm25s", unit: "s", higherIsBetter: false, threads: 1))
    } else {
        print("skipped BM25: ../shared/data/vaswani not found")
    }

}

/// Writes `lines` rows in the published format, in 8 MiB pieces.
func writeTeacherScores(_ path: String, lines: Int, rng: inout SplitMix64) throws {
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    let h = FileHandle(forWritingAtPath: path)!
    defer { try? h.close() }
    var buf = ""
    for i in 0..<lines {
        let a = Double(Int(rng.next() % 2_000_000)) / 100_000 - 10, b = Double(Int(rng.next() % 2_000_000)) / 100_000 - 10
        buf += "\(a)\t\(b)\t\(rng.next() % 1_200_000)\t\(rng.next() % 8_841_823)\t\(rng.next() % 8_841_823)\n"
        if buf.utf8.count > 8 << 20 || i == lines - 1 { h.write(Data(buf.utf8)); buf = "" }
    }
}

