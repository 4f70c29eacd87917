// `reproduce paper-a --scale full` as a whole, on synthetic inputs of the published formats and sizes: a data
// directory with an 8,841,823-passage collection, 808,731 training queries, the two 40M-row teacher-score files,
// dev-small's 6,980 queries with their BM25 top 1000 and DL19's 43, and a tiny random BERT (2 layers of width 32) in
// place of bert-base-uncased. It runs Table C and Table E for BERT-Base_DOT (three regimes: training, re-ranking both
// top-1000 files, encoding the collection and searching it) and reports each stage's wall time, the peak resident
// set and the anonymous memory, so that a user can see the data path's costs at full size apart from the model's.
// `--quick` shrinks the inputs (200k passages, 500 dev queries, 1M score rows).
import Foundation
import Corpus
import Eval
import Experiments
import Student
import Tensors

func benchFullScale(_ ctx: BenchContext) throws {
    let passages = ctx.option("passages").flatMap(Int.init) ?? (ctx.quick ? 200_000 : 8_841_823)
    let devQueries = ctx.option("dev-queries").flatMap(Int.init) ?? (ctx.quick ? 500 : 6_980)
    let scoreRows = ctx.option("score-lines").flatMap(Int.init) ?? (ctx.quick ? 1_000_000 : 40_000_000)
    let steps = ctx.option("steps").flatMap(Int.init) ?? 50
    let trainQueries = min(808_731, max(1000, scoreRows / 50)), dl19Queries = 43, depth = 1000
    let root = URL(fileURLWithPath: ctx.option("dir") ?? NSTemporaryDirectory())
        .appendingPathComponent("bench-fullscale-\(getpid())")
    defer { if !ctx.flag("keep") { try? FileManager.default.removeItem(at: root) } }
    let data = root.appendingPathComponent("data")
    for sub in ["msmarco-passage", "msmarco-passage-trec-dl/dl19", "margin-mse"] {
        try FileManager.default.createDirectory(at: data.appendingPathComponent(sub), withIntermediateDirectories: true)
    }

    // Text from a fixed word list, so that a tiny vocabulary covers it.
    let words = ["the", "passage", "of", "retrieval", "ranking", "model", "query", "neural", "and", "a", "to", "in",
                 "distillation", "margin", "student", "teacher", "efficient", "collection", "index", "score"]
    var state: UInt64 = 0x5DEECE66D
    func next(_ n: Int) -> Int { state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return Int(state >> 33) % n }
    func word() -> String { words[next(words.count)] }
    /// Writes `count` lines from `line(i)` to `relative`, a megabyte at a time.
    func write(_ relative: String, _ count: Int, _ line: (Int) -> String) throws {
        let url = data.appendingPathComponent(relative)
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let h = try FileHandle(forWritingTo: url)
        var text = ""
        text.reserveCapacity(1 << 21)
        for i in 0..<count {
            text += line(i)
            if text.utf8.count > 1 << 20 { try h.write(contentsOf: Data(text.utf8)); text.removeAll(keepingCapacity: true) }
        }
        try h.write(contentsOf: Data(text.utf8)); try h.close()
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

    // A tiny random BERT on the word list's vocabulary, with BERT's special ids (the students use them).
    let model = root.appendingPathComponent("tiny-bert")
    let vocabulary = ["[PAD]"] + (1..<100).map { "[unused\($0)]" } + ["[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", "?", "end"]
        + words + (0..<10).map(String.init)
    let config = BertConfig(vocabSize: vocabulary.count, hiddenSize: 32, numHiddenLayers: 2, numAttentionHeads: 2,
                            intermediateSize: 64, maxPositionEmbeddings: 512)
    try TransformerEncoder(config: config, pooler: false, seed: 11).save(to: model)
    try (vocabulary.joined(separator: "\n") + "\n").write(to: model.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8)

    // The run, its log lines timed: a stage lasts from its line to the next.
    var stages: [(name: String, start: Date)] = []
    var peakAnonymous = 0
    let before = residentBytes()
    let settings = FullScaleSettings(dataDirectory: data, modelDirectory: model, outputDirectory: root.appendingPathComponent("out"),
                                     cacheDirectory: root.appendingPathComponent("cache"), steps: steps,
                                     students: ["BERT-Base_DOT"], checkpointEvery: max(1, steps / 2))
    let start = Date()
    try PaperAFullScale.run(settings, command: "bench fullscale") { line in
        peakAnonymous = max(peakAnonymous, residentBytes().anonymous)
        let first = line.trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) ?? ""
        if ["indexing", "training", "re-ranking", "encoding", "searching", "wrote"].contains(first) {
            stages.append((first, Date()))
        }
        print(line)
    }
    let total = Date().timeIntervalSince(start)
    peakAnonymous = max(peakAnonymous, residentBytes().anonymous)
    var seconds: [String: Double] = [:]
    for (i, s) in stages.enumerated() {
        seconds[s.name, default: 0] += (i + 1 < stages.count ? stages[i + 1].start : Date()).timeIntervalSince(s.start)
    }
    let threads = Kernels.threadCount, size = passages >= 1_000_000 ? "\(passages / 1_000_000).\(passages / 100_000 % 10)M" : "\(passages / 1000)k"
    func row(_ name: String, _ value: Double, _ unit: String) {
        ctx.record(BenchRow(case: name, swift: value, peer: nil, peerName: nil, unit: unit, higherIsBetter: false, threads: threads))
    }
    row("whole run, \(size) passages, BERT-Base_DOT ×3", total / 60, "min")
    for (stage, label) in [("indexing", "indexing collection and queries"), ("training", "training \(steps) steps ×3"),
                           ("re-ranking", "re-ranking \(devQueries + dl19Queries) queries' top \(depth) ×3"),
                           ("encoding", "encoding \(size) passages ×3"), ("searching", "searching \(devQueries + dl19Queries) queries ×3")] {
        row(label, (seconds[stage] ?? 0) / 60, "min")
    }
    row("peak resident set (with mapped files)", Double(Measurement.peakResidentBytes()) / 1_048_576, "MiB")
    row("peak anonymous memory (at log lines)", Double(peakAnonymous - before.anonymous) / 1_048_576, "MiB")
}
