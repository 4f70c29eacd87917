// `bench train`: the Margin-MSE training targets, in one run:
//   1. training throughput (triples/s) of a 2-layer BERT_DOT cut from all-MiniLM-L6-v2 (layers 0 and 5) with
//      Margin-MSE, 32 triples per step, queries of 32 and passages of 128 tokens ([CLS]/[SEP] included), AdamW,
//      dropout on — against the same model, loss and optimiser in a PyTorch CPU loop (`peers/train_bertdot.py`)
//      with the same thread count and the same seeded token ids, in alternating rounds of a few steps each (target
//      ≥ 2× on AVX-512, ≥ 1.5× on AVX2);
//   2. memory while streaming a generated teacher-score file of 40M lines (4M with --quick): the peak resident
//      size must not grow with the file.
// Needs ../shared/models/all-MiniLM-L6-v2 for part 1 (skipped with a message otherwise, or with --memory-only).
// Options: --quick (4M lines, fewer steps), --score-lines N, --memory-only, --no-peer (our side only, e.g. under a
// profiler), --shape LxH[,LxH…] (instead: a training step of a random BERT_DOT of L layers of width H — 6x768
// DistilBERT's, 12x768 BERT-Base's — on our side only, for the full scale's cost estimate; no peer, nothing to compare),
// --token-budget N (our side: length groups of N padded tokens instead of the package's default) and --packed (our
// side: `TransformerEncoder.packedTokens`, the token-wise work on real tokens only) — ways to a faster step that change
// the trained numbers, measured here before they become defaults.
import Foundation
import Tensors
import Student
import Eval
import MarginMSE
import Training

func benchTrain(_ ctx: BenchContext) throws {
    let threads = benchThreads(ctx)
    let savedThreads = Kernels.threadCount
    Kernels.threadCount = threads          // the Swift side runs on as many threads as the peer
    defer { Kernels.threadCount = savedThreads }
    // Memory first, so that the peak-RSS readings are not masked by the model's (the peak is over the process life).
    try benchTeacherScoreMemory(ctx)
    let model = URL(fileURLWithPath: sharedDirectory() + "/models/all-MiniLM-L6-v2")
    if let shapes = ctx.option("shape") {
        for shape in shapes.split(separator: ",") { try benchTrainShape(ctx, shape: String(shape), threads: threads) }
        return
    }
    if ctx.flag("memory-only") {
        print("--memory-only: skipping training throughput")
    } else if FileManager.default.fileExists(atPath: model.appendingPathComponent("config.json").path) {
        try benchTrainThroughput(ctx, model: model, threads: threads)
    } else {
        print("skipping training throughput: \(model.path) not found")
    }
}

/// Seeded token ids shared with the peer: id(i) = 1000 + (i·7919 + seed·104729) mod 28000, i over the flat index.
func benchTokens(count: Int, length: Int, seed: Int) -> [[Int]] {
    (0..<count).map { r in (0..<length).map { c in 1000 + ((r * length + c) * 7919 + seed * 104_729) % 28_000 } }
}

func benchTrainThroughput(_ ctx: BenchContext, model: URL, threads: Int) throws {
    let b = 32
    let encoder = try TransformerEncoder.load(model)
    let dot = BertDot(encoder: encoder.reduced(keepingLayers: [0, 5]),
                      limits: InputLimits(maxQueryLength: 30, maxPassageLength: 126))
    let grouping = try ctx.option("token-budget").map { v -> LengthGrouping in
        guard let n = Int(v), n >= 1 else { throw BenchError("--token-budget \(v): expected a positive integer") }
        return LengthGrouping(tokenBudget: n)
    } ?? LengthGrouping()
    dot.encoder.packedTokens = ctx.flag("packed")
    var variant: [String] = []
    if grouping != LengthGrouping() { variant.append("budget \(grouping.tokenBudget)") }
    if dot.encoder.packedTokens { variant.append("packed tokens") }
    let q = benchTokens(count: b, length: 30, seed: 1), p = benchTokens(count: b, length: 126, seed: 2)
    let n = benchTokens(count: b, length: 126, seed: 3)
    var texts = TokenizedTexts(queries: [:], passages: [:])
    var triples: [ScoredTriple] = []
    for i in 0..<b {
        texts.queries["q\(i)"] = q[i]; texts.passages["p\(i)"] = p[i]; texts.passages["n\(i)"] = n[i]
        triples.append(ScoredTriple(TrainingTriple(qid: "q\(i)", posPid: "p\(i)", negPid: "n\(i)"),
                                    teacherPositive: Float(i % 7), teacherNegative: -Float(i % 5)))
    }
    let config = PairwiseTrainingConfig(loss: .marginMSE, batchSize: b,
                                        loop: TrainingLoopConfig(totalSteps: 100, learningRate: 1e-5,
                                                                 adam: AdamConfig(weightDecay: 0.01)))
    // One step = forward of the 2B pairs, Margin-MSE, backward, AdamW update (as `trainPairwise` does per step).
    let opt = AdamW(dot.parameters, config: config.loop.adam)
    dot.training = true
    func ourStep() throws {
        opt.zeroGrad()
        _ = try pairwiseStep(dot, batch: triples, texts: texts, loss: .marginMSE, grouping: grouping)
        opt.step(learningRate: 1e-5)
    }
    try ourStep()   // warm-up: the first step faults in the storage pool and packs nothing twice after
    // What one step holds at once beyond what stays between steps (weights, their gradients, AdamW's moments):
    // activations kept for backward, their gradients, packed weights, GEMM scratch (`WorkingMemory`).
    let stepBytes = try WorkingMemory.peakGrowth { try ourStep() }
    // Rounds of `perRound` steps, ours and the peer's alternating (who goes first alternates too), so that both sides
    // see the same moments of a shared host; the ratio is the median of the rounds' ratios.
    let rounds = ctx.quick ? 2 : 5, perRound = ctx.quick ? 2 : 3
    let session: PeerSession? = ctx.flag("no-peer") ? nil : try PeerSession(
        "train_bertdot.py", ["--threads", "\(threads)", "--model", model.path, "serve"],
        environment: ["OMP_NUM_THREADS": "\(threads)", "MKL_NUM_THREADS": "\(threads)"])
    defer { session?.close() }
    // One peer step first: it returns once the peer has loaded torch and the model, so that loading does not share
    // the host with our first round.
    _ = try session?.request(["steps": 1])
    var ours: [Double] = [], theirs: [Double] = []
    func runOurs() throws {
        // The peer's OpenMP threads may spin for a moment after its last step: let them settle first.
        if session != nil { usleep(300_000) }
        var times: [Double] = []
        for _ in 0..<perRound {
            let t0 = DispatchTime.now().uptimeNanoseconds
            try ourStep()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        ours.append(quartiles(times).median)
    }
    for round in 0..<rounds {
        if round % 2 == 0 { try runOurs() }
        if let session {
            let answer = try session.request(["steps": perRound])
            guard let seconds = answer["seconds_per_step"] as? Double else {
                throw BenchError("peer train_bertdot.py: no seconds_per_step in \(answer)")
            }
            theirs.append(seconds)
        }
        if round % 2 == 1 { try runOurs() }
    }
    let swiftSeconds = quartiles(ours).median
    let ratios = zip(ours, theirs).map { $1 / $0 }
    if !ratios.isEmpty {
        let q = quartiles(ratios)
        print("rounds: ours \(ours.map { String(format: "%.2f", $0) }.joined(separator: " ")) s/step, peer "
              + "\(theirs.map { String(format: "%.2f", $0) }.joined(separator: " ")) s/step; ratio IQR "
              + String(format: "%.2f–%.2f", q.q1, q.q3))
    }
    ctx.record(BenchRow(case: "BERT_DOT-2L Margin-MSE B=32 step"
                            + (variant.isEmpty ? "" : " (ours: \(variant.joined(separator: ", ")))"),
                        swift: Double(b) / swiftSeconds,
                        peer: theirs.isEmpty ? nil : Double(b) / quartiles(theirs).median,
                        peerName: theirs.isEmpty ? nil : "PyTorch CPU loop", unit: "triples/s",
                        higherIsBetter: true, threads: threads))
    ctx.record(BenchRow(case: "working memory of one step (ours)", swift: Double(stepBytes) / 1_048_576, peer: nil,
                        peerName: nil, unit: "MiB",
                        higherIsBetter: false, threads: threads))
}

func benchTeacherScoreMemory(_ ctx: BenchContext) throws {
    let lines = ctx.option("score-lines").flatMap(Int.init) ?? (ctx.quick ? 4_000_000 : 40_000_000)
    let url = URL(fileURLWithPath: NSTemporaryDirectory() + "bench-train-scores-\(getpid()).tsv")
    defer { try? FileManager.default.removeItem(at: url) }
    // Written in 1 MiB pieces (the generator itself stays flat too).
    _ = FileManager.default.createFile(atPath: url.path, contents: nil)
    let h = try FileHandle(forWritingTo: url)
    var chunk = ""
    for i in 0..<lines {
        chunk += "\(Float(i % 1000) / 100)\t\(-Float(i % 777) / 100)\t\(i / 40)\t\(i &* 31 % 8_841_823)\t\(i &* 17 % 8_841_823)\n"
        if chunk.utf8.count > 1 << 20 { h.write(Data(chunk.utf8)); chunk.removeAll(keepingCapacity: true) }
    }
    h.write(Data(chunk.utf8)); try h.close()
    let before = Measurement.peakResidentBytes()
    var peaks: [Int] = []
    var n = 0
    var sum = 0.0
    let start = Date()
    try TeacherScoreFile.forEachRow(url) { r in
        n += 1; sum += Double(r.margin)
        if n % (lines / 4) == 0 { peaks.append(Measurement.peakResidentBytes()) }
    }
    let secs = Date().timeIntervalSince(start)
    let mib = { (x: Int) in String(format: "%.1f", Double(x) / 1_048_576) }
    print("teacher-score file of \(lines / 1_000_000)M lines: peak RSS before reading \(mib(before)) MiB; after each quarter: \(peaks.map(mib).joined(separator: ", ")) MiB (checksum \(String(format: "%.1f", sum)))")
    ctx.record(BenchRow(case: "stream \(lines / 1_000_000)M-line score file", swift: Double(n) / secs / 1e6, peer: nil,
                        peerName: nil, unit: "M lines/s", higherIsBetter: true, threads: 1))
    ctx.record(BenchRow(case: "peak RSS growth while streaming", swift: Double(peaks.last! - before) / 1_048_576,
                        peer: nil, peerName: nil, unit: "MiB", higherIsBetter: false, threads: 1))
}

/// `--shape LxH`: seconds per Margin-MSE step (32 triples, queries 32 / passages 128 tokens) of a BERT_DOT on a random
/// encoder of L layers of width H (heads of 64, feed-forward 4H, BERT's vocabulary), all layers trained.
func benchTrainShape(_ ctx: BenchContext, shape: String, threads: Int) throws {
    let parts = shape.lowercased().split(separator: "x").compactMap { Int($0) }
    guard parts.count == 2, parts[0] >= 1, parts[1] >= 64, parts[1] % 64 == 0 else {
        throw BenchError("--shape expects LxH with H a multiple of 64, e.g. 12x768; got '\(shape)'")
    }
    let (layers, hidden) = (parts[0], parts[1])
    let config = BertConfig(vocabSize: 30_522, hiddenSize: hidden, numHiddenLayers: layers, numAttentionHeads: hidden / 64,
                            intermediateSize: 4 * hidden, maxPositionEmbeddings: 512)
    let dot = BertDot(encoder: TransformerEncoder(config: config, pooler: false, seed: 1),
                      limits: InputLimits(maxQueryLength: 30, maxPassageLength: 126))
    let b = 32
    let q = benchTokens(count: b, length: 30, seed: 1), p = benchTokens(count: b, length: 126, seed: 2)
    let n = benchTokens(count: b, length: 126, seed: 3)
    let batch = PairBatch(positives: (0..<b).map { RankerPair(query: q[$0], passage: p[$0]) },
                          negatives: (0..<b).map { RankerPair(query: q[$0], passage: n[$0]) },
                          teacherPositive: (0..<b).map { Float($0 % 7) }, teacherNegative: (0..<b).map { -Float($0 % 5) })
    let opt = AdamW(dot.parameters, config: AdamConfig(weightDecay: 0.01))
    dot.training = true
    func step() throws { opt.zeroGrad(); _ = try pairwiseStep(dot, batch: batch, loss: .marginMSE); opt.step(learningRate: 1e-5) }
    try step()   // warm-up
    var times: [Double] = []
    for _ in 0..<(ctx.quick ? 2 : 4) {
        let t0 = DispatchTime.now().uptimeNanoseconds
        try step()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    }
    let seconds = quartiles(times).median
    print("BERT_DOT \(layers)×\(hidden): \(times.map { String(format: "%.2f", $0) }.joined(separator: " ")) s/step")
    ctx.record(BenchRow(case: "BERT_DOT \(layers)x\(hidden) Margin-MSE B=32 step", swift: seconds, peer: nil, peerName: nil,
                        unit: "s/step", higherIsBetter: false, threads: threads))
}
