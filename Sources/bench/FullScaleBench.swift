// `reproduce paper-a --scale full` as a whole, on synthetic inputs of the published formats and sizes: a data
// directory with an 8,841,823-passage collection, 808,731 training queries, the two 40M-row teacher-score files,
// dev-small's 6,980 queries with their BM25 top 1000 and DL19's 43, and a tiny random BERT (2 layers of width 32) in
// place of bert-base-uncased. It runs Tables B, C and E and Figures B and C for BERT-Base_DOT (three regimes:
// training, re-ranking both top-1000 files, encoding the collection and searching it) as a user with a scheduler
// would — `--train-only`, then `--shard I/N` for every I, then the run that merges — and reports each stage's wall
// time, the throughput of re-ranking and encoding, the peak resident set and the anonymous memory, so that a user
// can see the data path's costs at full size apart from the model's.
// Resumable: the work goes to a folder named by the sizes (under --dir, else the temporary directory); a killed run
// started again with the same options goes on where it stopped — the command's own caches keep every finished
// shard — and the stage times of all its sessions add up (work cut off by a kill is not counted; it is done again).
// The folder is removed when the run completes, unless --keep.
// `--quick` shrinks the inputs (200k passages, 500 dev queries, 1M score rows) and runs unsharded.
import Foundation
import Corpus
import Eval
import Experiments
import MarginMSE
import Report
import Student
import Tensors

func benchFullScale(_ ctx: BenchContext) throws {
    let passages = ctx.option("passages").flatMap(Int.init) ?? (ctx.quick ? 200_000 : 8_841_823)
    let devQueries = ctx.option("dev-queries").flatMap(Int.init) ?? (ctx.quick ? 500 : 6_980)
    let scoreRows = ctx.option("score-lines").flatMap(Int.init) ?? (ctx.quick ? 1_000_000 : 40_000_000)
    let steps = ctx.option("steps").flatMap(Int.init) ?? 50
    let shards = max(1, ctx.option("shards").flatMap(Int.init) ?? (ctx.quick ? 1 : 8))
    let trainQueries = min(808_731, max(1000, scoreRows / 50)), dl19Queries = 43, depth = 1000
    let root = URL(fileURLWithPath: ctx.option("dir") ?? NSTemporaryDirectory())
        .appendingPathComponent("bench-fullscale-\(passages)-\(devQueries)-\(scoreRows)-\(steps)-\(shards)")
    let data = root.appendingPathComponent("data")
    var state = FullScaleBenchState.load(root)
    if state.generatedSeconds != nil {
        print("resuming in \(root.path) (session \(state.sessions + 1)): \(String(format: "%.1f", state.stageSeconds.values.reduce(0, +) / 60)) min of work done")
    } else {
        try? FileManager.default.removeItem(at: root)   // a generation cut off part-way: start again
    }
    state.sessions += 1
    // Text from a fixed word list, so that a tiny vocabulary covers it.
    let words = ["the", "passage", "of", "retrieval", "ranking", "model", "query", "neural", "and", "a", "to", "in",
                 "distillation", "margin", "student", "teacher", "efficient", "collection", "index", "score"]
    if state.generatedSeconds == nil {
        var lcg: UInt64 = 0x5DEECE66D
        func next(_ n: Int) -> Int { lcg = lcg &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return Int(lcg >> 33) % n }
        func word() -> String { words[next(words.count)] }
        /// Writes `count` lines from `line(i)` to `relative`, a megabyte at a time.
        func write(_ relative: String, _ count: Int, _ line: (Int) -> String) throws {
            try writeTextInPlace(data.appendingPathComponent(relative)) { emit in for i in 0..<count { try emit(line(i)) } }
        }
        let writeStart = Date()
        try write("msmarco-passage/collection.tsv", passages) { pid in
            "\(pid)\t" + (0..<55).map { _ in word() }.joined(separator: " ") + " end.\n"
        }
        try write("msmarco-passage/queries.train.tsv", trainQueries) { i in "\(3 * i + 1)\t\(word()) \(word()) \(word()) \(word())?\n" }
        for file in ["bertbase_cat_msmarcopassage_train_scores_ids.tsv", "bert_cat_ensemble_msmarcopassage_train_scores_ids.tsv"] {
            try write("margin-mse/\(file)", scoreRows) { _ in
                "\(Double(next(20_000)) / 1000)\t\(Double(next(20_000)) / 1000 - 10)\t\(3 * next(trainQueries) + 1)\t\(next(passages))\t\(next(passages))\n"
            }
        }
        try write("msmarco-passage/qidpidtriples.train.full.2.tsv", 1000) { _ in "\(3 * next(trainQueries) + 1)\t\(next(passages))\t\(next(passages))\n" }
        // Test queries: dev qids 2q+5, DL19 qids 1,000,000 + q; each with `depth` candidates and one judged passage.
        let passageText = (0..<4096).map { _ in (0..<55).map { _ in word() }.joined(separator: " ") }
        for (name, queries, qid) in [("dev", devQueries, { (q: Int) in 2 * q + 5 }), ("dl19", dl19Queries, { (q: Int) in 1_000_000 + q })] {
            let texts = (0..<queries).map { q in "\(word()) \(word()) \(word()) \(q)?" }
            let top = name == "dev" ? "msmarco-passage/top1000.dev" : "msmarco-passage/msmarco-passagetest2019-top1000.tsv"
            try write(top, queries * depth) { i in
                let (k, q) = (i / queries, i % queries)   // a query's lines spread over the file
                return "\(qid(q))\t\((q * 7919 + k) % passages)\t\(texts[q])\t\(passageText[(q + k) % passageText.count])\n"
            }
            let queryFile = name == "dev" ? "msmarco-passage/queries.dev.small.tsv" : "msmarco-passage-trec-dl/dl19/queries.tsv"
            try write(queryFile, queries) { q in "\(qid(q))\t\(texts[q])\n" }
            let qrels = name == "dev" ? "msmarco-passage/qrels.dev.small.tsv" : "msmarco-passage-trec-dl/dl19/qrels.txt"
            try write(qrels, queries) { q in "\(qid(q))\t0\t\((q * 7919 + q % 7) % passages)\t\(name == "dev" ? 1 : 3)\n" }
        }
        let generated = Date().timeIntervalSince(writeStart)
        print("wrote the synthetic data (\(passages) passages, \(scoreRows) score rows × 2, \(devQueries) + \(dl19Queries) test queries × \(depth)) in \(String(format: "%.0f", generated)) s: \(data.path)")
        state.generatedSeconds = generated
        try state.save(root)
    }

    // A tiny random BERT on the word list's vocabulary, with BERT's special ids (the students use them).
    let model = root.appendingPathComponent("tiny-bert")
    let vocabulary = ["[PAD]"] + (1..<100).map { "[unused\($0)]" } + ["[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", "?", "end"]
        + words + (0..<10).map(String.init)
    let config = BertConfig(vocabSize: vocabulary.count, hiddenSize: 32, numHiddenLayers: 2, numAttentionHeads: 2,
                            intermediateSize: 64, maxPositionEmbeddings: 512)
    if !FileManager.default.fileExists(atPath: model.appendingPathComponent("vocab.txt").path) {
        try TransformerEncoder(config: config, pooler: false, seed: 11).save(to: model)
        try (vocabulary.joined(separator: "\n") + "\n").write(to: model.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8)
    }

    // The run, its log lines timed: a stage lasts from its line to the next; each stage's time is saved as it ends.
    var stage = (name: "setup", start: Date())
    var peakAnonymous = 0
    let before = residentBytes()
    func endStage(_ next: String) {
        state.stageSeconds[stage.name, default: 0] += Date().timeIntervalSince(stage.start)
        peakAnonymous = max(peakAnonymous, residentBytes().anonymous)
        state.peakAnonymousMiB = max(state.peakAnonymousMiB, Double(peakAnonymous - before.anonymous) / 1_048_576)
        state.peakResidentMiB = max(state.peakResidentMiB, Double(Measurement.peakResidentBytes()) / 1_048_576)
        try? state.save(root)
        stage = (next, Date())
    }
    let stageWords = ["indexing", "training", "re-ranking", "encoding", "searching", "merging", "reading", "timing", "wrote"]
    func settings(shard: Shard? = nil, trainOnly: Bool = false) -> FullScaleSettings {
        FullScaleSettings(dataDirectory: data, modelDirectory: model, outputDirectory: root.appendingPathComponent("out"),
                          cacheDirectory: root.appendingPathComponent("cache"), steps: steps, students: ["BERT-Base_DOT"],
                          shard: shard, trainOnly: trainOnly, checkpointEvery: max(1, steps / 2))
    }
    let log = { (line: String) in
        let first = line.trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) ?? ""
        if stageWords.contains(first) { endStage(first) }
        print(line)
        fflush(nil)   // as it happens, also into a file or a pipe
    }
    // As on a cluster: train, every shard in turn (a finished one is kept by the command's cache), then merge.
    try PaperAFullScale.run(settings(trainOnly: true), command: "bench fullscale", log: log)
    if shards > 1 {
        for i in 0..<shards { try PaperAFullScale.run(settings(shard: Shard(index: i, count: shards)!), command: "bench fullscale", log: log) }
    }
    try PaperAFullScale.run(settings(), command: "bench fullscale", log: log)
    endStage("done")
    let seconds = state.stageSeconds, total = seconds.values.reduce(0, +)
    let threads = Kernels.threadCount, size = passages >= 1_000_000 ? "\(passages / 1_000_000).\(passages / 100_000 % 10)M" : "\(passages / 1000)k"
    func row(_ name: String, _ value: Double, _ unit: String, higherIsBetter: Bool = false) {
        ctx.record(BenchRow(case: name, swift: value, peer: nil, peerName: nil, unit: unit, higherIsBetter: higherIsBetter, threads: threads))
    }
    let shardText = shards > 1 ? ", \(shards) shards in turn" : ""
    row("whole run, \(size) passages, BERT-Base_DOT ×3\(shardText)", total / 60, "min")
    for (name, label) in [("indexing", "indexing collection and queries"), ("training", "training \(steps) steps ×3"),
                          ("re-ranking", "re-ranking \(devQueries + dl19Queries) queries' top \(depth) ×3"),
                          ("encoding", "encoding \(size) passages ×3"), ("searching", "searching \(devQueries + dl19Queries) queries ×3"),
                          ("merging", "merging shard runs"), ("reading", "reading score files (Table B)"),
                          ("timing", "timing latency (Figure C)")] where seconds[name] != nil || ["indexing", "training", "re-ranking", "encoding", "searching"].contains(name) {
        row(label, (seconds[name] ?? 0) / 60, "min")
    }
    if let r = seconds["re-ranking"], r > 0 { row("re-ranking throughput", Double(3 * (devQueries + dl19Queries) * depth) / r, "pairs/s", higherIsBetter: true) }
    if let e = seconds["encoding"], e > 0 { row("encoding throughput", Double(3 * passages) / e, "passages/s", higherIsBetter: true) }
    row("peak resident set (with mapped files)", state.peakResidentMiB, "MiB")
    row("peak anonymous memory (at log lines)", state.peakAnonymousMiB, "MiB")
    if state.sessions > 1 { row("sessions (resumed runs)", Double(state.sessions), "runs") }
    print("generating the data took \(String(format: "%.1f", (state.generatedSeconds ?? 0) / 60)) min (not in the whole run)")
    if !ctx.flag("keep") { try? FileManager.default.removeItem(at: root) }
}

/// What a resumable `bench fullscale` has measured so far, saved in its folder.
struct FullScaleBenchState: Codable {
    var generatedSeconds: Double?
    var stageSeconds: [String: Double] = [:]
    var peakResidentMiB = 0.0, peakAnonymousMiB = 0.0
    var sessions = 0

    static func load(_ root: URL) -> FullScaleBenchState {
        guard let d = FileManager.default.contents(atPath: root.appendingPathComponent("bench-state.json").path),
              let s = try? JSONDecoder().decode(FullScaleBenchState.self, from: d) else { return FullScaleBenchState() }
        return s
    }

    func save(_ root: URL) throws {
        try writeAtomically(try JSONEncoder().encode(self), to: root.appendingPathComponent("bench-state.json"))
    }
}
