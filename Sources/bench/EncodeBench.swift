// `bench encode`: all-MiniLM-L6-v2 sentence embeddings in Swift against sentence-transformers on PyTorch (CPU),
// same run, same thread count:
//   throughput  the 4,297 distinct passages of the DL19 BM25 top-100 lists (pid order), batch 32, sorted by length
//               and padded per batch as sentence-transformers does, max 256 tokens; tokenization included on both sides
//   latency     batch-1 embedding of a text of exactly 52 and of 90 tokens ([CLS] and [SEP] included), median
//   swift run -c release bench encode [--threads N] [--limit N] [--shared DIR]
import Foundation
import Student
import Tensors
import Vocab

func benchEncode(_ ctx: BenchContext) throws {
    let threads = benchThreads(ctx)
    Kernels.threadCount = threads
    let shared = ctx.option("shared") ?? sharedDirectory()
    let dl19 = shared + "/data/msmarco-passage-trec-dl/dl19"
    let model = URL(fileURLWithPath: shared + "/models/all-MiniLM-L6-v2")
    guard FileManager.default.fileExists(atPath: model.path + "/config.json") else {
        throw BenchError("bench encode needs \(model.path) (the shared model)")
    }
    var pidSet = Set<String>()
    for line in try String(contentsOfFile: dl19 + "/run.bm25.top100.trec", encoding: .utf8).split(separator: "\n") {
        let f = line.split(separator: " ")
        if f.count >= 3 { pidSet.insert(String(f[2])) }
    }
    var text: [String: String] = [:]
    for line in try String(contentsOfFile: dl19 + "/collection.tsv", encoding: .utf8).split(separator: "\n") {
        if let tab = line.firstIndex(of: "\t") { text[String(line[..<tab])] = String(line[line.index(after: tab)...]) }
    }
    var passages = pidSet.sorted { Int($0)! < Int($1)! }.map { text[$0]! }
    if let limit = ctx.option("limit").flatMap(Int.init) { passages = Array(passages.prefix(limit)) }

    let encoder = try SentenceEncoder.load(model)
    let tokenizer = try BertTokenizer(vocabFile: model.path + "/vocab.txt")
    _ = encoder.embed(Array(passages.prefix(64)), tokenizer: tokenizer)       // warm-up
    let t0 = Date()
    let out = encoder.embed(passages, tokenizer: tokenizer, batchSize: 32)
    let secs = Date().timeIntervalSince(t0)
    precondition(out.count == passages.count)

    // Texts of exactly 52 and 90 tokens: a passage's first n−2 word pieces, detokenised by joining the pieces.
    func probe(_ n: Int) -> [Int] {
        for p in passages {
            let ids = tokenizer.encode(p, maxLength: n).ids.map(Int.init)
            if ids.count == n { return ids }
        }
        return []
    }
    // Each call packs the weights it multiplies; a serving process that keeps them packed across calls wraps its
    // calls in one `Kernels.withPackedWeights` scope (the weights do not change), and gets the second figure.
    var latency: [String: Double] = [:], kept: [String: Double] = [:]
    for n in [52, 90] {
        let ids = probe(n)
        let t = measure(warmup: 5, minRounds: 30, minTime: 0.5) { _ = encoder.embed(ids: [ids], batchSize: 1) }
        latency[String(n)] = t * 1000
        kept[String(n)] = Kernels.withPackedWeights {
            measure(warmup: 5, minRounds: 30, minTime: 0.5) { _ = encoder.embed(ids: [ids], batchSize: 1) }
        } * 1000
    }

    let peer = try runPeer("student_encode.py", ["--threads", String(threads), "--batch-size", "32",
                                                  "--shared", shared] + (ctx.option("limit").map { ["--limit", $0] } ?? []))
    let p = peer as? [String: Any]
    let peerRate = p?["passages_per_second"] as? Double
    let peerLatency = p?["latency_ms"] as? [String: Double]
    ctx.record(BenchRow(case: "encode \(passages.count) DL19 passages", swift: Double(passages.count) / secs,
                        peer: peerRate, peerName: "sentence-transformers (torch CPU)", unit: "passages/s",
                        higherIsBetter: true, threads: threads))
    for n in ["52", "90"] {
        ctx.record(BenchRow(case: "batch-1 latency, \(n) tokens", swift: latency[n]!, peer: peerLatency?[n],
                            peerName: "sentence-transformers (torch CPU)", unit: "ms", higherIsBetter: false,
                            threads: threads))
        ctx.record(BenchRow(case: "batch-1 latency, \(n) tokens, weights kept packed", swift: kept[n]!,
                            peer: peerLatency?[n], peerName: "sentence-transformers (torch CPU)", unit: "ms",
                            higherIsBetter: false, threads: threads))
    }
}
