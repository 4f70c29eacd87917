// Paper A at full scale: the paper's own data and workflow (`reproduce paper-a --scale full --data DIR --model DIR`).
// Every student is cut from a Hugging Face BERT checkpoint (the paper's: bert-base-uncased), trained on the published
// teacher scores streamed from disk (T1, T2; no KD = RankNet on the same rows), and re-ranks the BM25 top 1000 of
// MS MARCO dev-small (MRR@10, relevance ≥ 1) and of TREC DL 2019 (nDCG@10 graded, MRR@10 at relevance ≥ 2). It writes
// Table C with the paper's numbers beside ours, under its own folder.
//
// Stages, each resumable: training checkpoints every `checkpointEvery` steps (a killed run goes on from its last
// checkpoint; `--time-budget` stops it cleanly); re-ranking runs per shard (`--shard I/N` re-ranks one slice of the
// queries of every trained student and stops; a run without `--shard` merges a complete set of shards from the cache,
// or re-ranks the rest itself). Training stays on one machine.
//
// Students from an L-layer checkpoint (DistilBERT was initialised from every other layer of BERT-Base), or from a
// DistilBERT checkpoint when one is given: DistilBERT_CAT, ColBERT, DistilBERT_DOT: BERT_CAT / ColBERT / BERT_DOT;
// PreTT split in the middle; BERT-Base_DOT: BERT_DOT on all L layers of BERT; TK: 2 contextualisation layers on the
// word pieces.
// Besides Table C: Table D (DistilBERT_CAT and DistilBERT_DOT trained from T2 with the other distillation losses),
// Table E (the BERT_DOT students retrieving from the whole encoded collection, in shards), and Table B and Figures B
// and C (PaperAFullScaleFigures.swift).
// Leaves out: validation during training (the paper's validation set is unknown; the last checkpoint is evaluated),
// teachers of one's own (`teacher-scores` scores id triples with a trained teacher).

import Foundation
import Corpus
import Eval
import MarginMSE
import Report
import Student
import Training
import Vocab

public struct FullScaleSettings: Sendable {
    public var dataDirectory: URL
    /// bert-base-uncased: BERT-Base_DOT, and the DistilBERT rows when `distilBERTDirectory` is nil.
    public var modelDirectory: URL
    /// distilbert-base-uncased: DistilBERT_CAT, PreTT, ColBERT, DistilBERT_DOT and TK.
    public var distilBERTDirectory: URL?
    public var outputDirectory: URL
    public var cacheDirectory: URL
    public var steps: Int
    public var batchSize: Int
    public var learningRate: Float
    public var limits: InputLimits
    /// Paper names of the students to train (all six when empty).
    public var students: [String]
    /// Re-rank only this shard of every test set and stop.
    public var shard: Shard?
    /// Train, then stop before re-ranking.
    public var trainOnly: Bool
    public var timeBudgetSeconds: Double?
    public var checkpointEvery: Int
    /// DL19 queries timed per student for Figure C (after one warm-up query).
    public var latencyQueries: Int
    public var seed: UInt64

    public init(dataDirectory: URL, modelDirectory: URL, distilBERTDirectory: URL? = nil, outputDirectory: URL, cacheDirectory: URL,
                steps: Int = paperSteps, batchSize: Int = paperBatchSize, learningRate: Float = paperLearningRate,
                limits: InputLimits = InputLimits(maxQueryLength: 30, maxPassageLength: 200), students: [String] = [],
                shard: Shard? = nil, trainOnly: Bool = false, timeBudgetSeconds: Double? = nil,
                checkpointEvery: Int = defaultCheckpointEvery, latencyQueries: Int = defaultLatencyQueries,
                seed: UInt64 = 208_973_249) {
        self.dataDirectory = dataDirectory; self.modelDirectory = modelDirectory; self.distilBERTDirectory = distilBERTDirectory
        self.outputDirectory = outputDirectory; self.cacheDirectory = cacheDirectory
        self.steps = steps; self.batchSize = batchSize; self.learningRate = learningRate; self.limits = limits
        self.students = students; self.shard = shard; self.trainOnly = trainOnly
        self.timeBudgetSeconds = timeBudgetSeconds; self.checkpointEvery = checkpointEvery
        self.latencyQueries = latencyQueries; self.seed = seed
    }

    /// matchmaker's minimum before early stopping may end a run (its v2.0 defaults; the paper's own count is unknown).
    public static let paperSteps = 300_000
    /// The paper's batch (its BERT_DOT model card).
    public static let paperBatchSize = 32
    /// matchmaker's default Adam rate for BERT parameters (the paper's own is unknown).
    public static let paperLearningRate: Float = 7e-6
    public static let defaultCheckpointEvery = 1000
    public static let defaultLatencyQueries = 3
}

public enum PaperAFullScale {
    /// A test set: its top-1000 file and its judgements, relative to the data directory.
    struct TestSet {
        let name: String, candidates: String, qrels: String
        /// Relevance level at which MRR@10 counts a passage relevant.
        let level: Int
    }

    static let testSets = [
        TestSet(name: "dl19", candidates: "msmarco-passage/msmarco-passagetest2019-top1000.tsv",
                qrels: "msmarco-passage-trec-dl/dl19/qrels.txt", level: 2),
        TestSet(name: "dev", candidates: "msmarco-passage/top1000.dev", qrels: "msmarco-passage/qrels.dev.small.tsv", level: 1),
    ]

    static let scoreFiles: [Regime: String] = [
        .none: "margin-mse/bertbase_cat_msmarcopassage_train_scores_ids.tsv",
        .t1: "margin-mse/bertbase_cat_msmarcopassage_train_scores_ids.tsv",
        .t2: "margin-mse/bert_cat_ensemble_msmarcopassage_train_scores_ids.tsv",
    ]

    static let regimes: [Regime] = [.none, .t1, .t2]

    /// One training run: a student under a regime with a loss (Table C: RankNet without KD, Margin-MSE from T1 and
    /// T2; Table D: the other distillation losses from T2).
    struct Job: Equatable {
        let spec: StudentSpec, regime: Regime, loss: PairwiseLoss
        /// Table C's runs keep the ids they always had.
        var id: String {
            let base = "\(spec.paperName)|\(regime.rawValue)"
            return loss == Self.defaultLoss(regime) ? base : base + "|\(loss.rawValue)"
        }
        var label: String { regime.rawValue + (loss == Self.defaultLoss(regime) ? "" : ", \(loss.rawValue)") }
        static func defaultLoss(_ r: Regime) -> PairwiseLoss { r == .none ? .rankNet : .marginMSE }
    }

    /// Table D's students and losses (Margin-MSE and RankNet without KD come from Table C's runs).
    static let lossStudents = ["DistilBERT_CAT", "DistilBERT_DOT"]
    static let otherLosses: [PairwiseLoss] = [.pointwiseMSE, .weightedRankNet, .mseRankNet]

    /// Every training run for `specs`: Table C's, then Table D's.
    static func jobs(_ specs: [StudentSpec]) -> [Job] {
        specs.flatMap { spec in regimes.map { Job(spec: spec, regime: $0, loss: Job.defaultLoss($0)) } }
            + specs.filter { lossStudents.contains($0.paperName) }.flatMap { spec in
                otherLosses.map { Job(spec: spec, regime: .t2, loss: $0) } }
    }

    /// The six students: BERT-Base_DOT on all `bertLayers` layers of the BERT checkpoint; the others on the DistilBERT
    /// checkpoint's `distilLayers` layers (`fromDistil` true) or, without one, on every other layer of the BERT
    /// checkpoint (DistilBERT was initialised so).
    public static func students(bertLayers: Int, distilLayers: Int?) -> [(spec: StudentSpec, fromDistil: Bool)] {
        let distil = distilLayers.map { Array(0..<$0) } ?? Array(stride(from: 0, to: bertLayers, by: 2))
        let fromDistil = distilLayers != nil
        let split = max(1, distil.count / 2)
        let source = fromDistil ? "DistilBERT" : "BERT layers \(distil.map(String.init).joined(separator: ","))"
        return [
            (StudentSpec(paperName: "DistilBERT_CAT", label: "BERT_CAT on \(source)", architecture: "bert-cat",
                         keepLayers: distil, options: [:]), fromDistil),
            (StudentSpec(paperName: "PreTT", label: "PreTT on \(source), split after \(split)", architecture: "prett",
                         keepLayers: distil, options: ["splitLayer": "\(split)"]), fromDistil),
            (StudentSpec(paperName: "ColBERT", label: "ColBERT on \(source)", architecture: "colbert",
                         keepLayers: distil, options: [:]), fromDistil),
            (StudentSpec(paperName: "BERT-Base_DOT", label: "BERT_DOT, \(bertLayers) layers", architecture: "bert-dot",
                         keepLayers: Array(0..<bertLayers), options: [:]), false),
            (StudentSpec(paperName: "DistilBERT_DOT", label: "BERT_DOT on \(source)", architecture: "bert-dot",
                         keepLayers: distil, options: [:]), fromDistil),
            (StudentSpec(paperName: "TK", label: "TK, 2 layers, \(fromDistil ? "DistilBERT" : "BERT") word pieces", architecture: "tk",
                         keepLayers: [0, 1], options: ["layers": "2"]), fromDistil),
        ]
    }

    /// Checks the inputs and the model folder before any work; the error says what is missing and where to get it.
    public static func check(_ s: FullScaleSettings) throws {
        let missing = FullScale.missing(in: s.dataDirectory.path)
        guard missing.isEmpty else { throw ExperimentError(FullScale.refusal(dataDirectory: s.dataDirectory.path)) }
        for f in ["config.json", "vocab.txt", "model.safetensors"]
        where !FileManager.default.fileExists(atPath: s.modelDirectory.appendingPathComponent(f).path) {
            throw ExperimentError("--model \(s.modelDirectory.path): no \(f); give a Hugging Face BERT folder with config.json, "
                                  + "vocab.txt and model.safetensors. The paper's students start from bert-base-uncased: "
                                  + "swift run -c release reproduce fetch bert-base-uncased --into \(s.dataDirectory.path) "
                                  + "(data-manifests/bert-base-uncased.json) puts it where --model looks by default")
        }
        if let d = s.distilBERTDirectory {
            for f in ["config.json", "vocab.txt", "model.safetensors"]
            where !FileManager.default.fileExists(atPath: d.appendingPathComponent(f).path) {
                throw ExperimentError("--distilbert \(d.path): no \(f); give a Hugging Face DistilBERT folder with config.json, "
                                      + "vocab.txt and model.safetensors: swift run -c release reproduce fetch "
                                      + "distilbert-base-uncased --into \(s.dataDirectory.path) "
                                      + "(data-manifests/distilbert-base-uncased.json)")
            }
        }
        let known = students(bertLayers: 2, distilLayers: nil).map(\.spec.paperName)
        for name in s.students where !known.contains(name) {
            throw ExperimentError("--students: '\(name)' is not one of the paper's students (\(known.joined(separator: ", ")))")
        }
    }

    /// Runs the stages the settings ask for. `log` receives progress lines.
    public static func run(_ s: FullScaleSettings, command: String, log: @escaping (String) -> Void) throws {
        try check(s)
        /// A checkpoint's encoder, word pieces and identity (its config and weight size).
        struct Checkpoint {
            let encoder: TransformerEncoder, tokenize: (String) -> [Int], identity: String
            init(_ dir: URL) throws {
                encoder = try TransformerEncoder.load(dir)
                let tokenizer = try BertTokenizer(vocabFile: dir.appendingPathComponent("vocab.txt").path)
                tokenize = { tokenizer.tokenize($0).map(Int.init) }
                let size = ((try? FileManager.default.attributesOfItem(
                    atPath: dir.appendingPathComponent("model.safetensors").path))?[.size] as? NSNumber)?.intValue ?? 0
                identity = stableHash(Array((try? Data(contentsOf: dir.appendingPathComponent("config.json"))) ?? Data())
                                      + Array("\(size)".utf8))
            }
        }
        let bert = try Checkpoint(s.modelDirectory)
        let distil = try s.distilBERTDirectory.map(Checkpoint.init)
        if distil == nil { log("no DistilBERT checkpoint (--distilbert): the DistilBERT rows keep every other layer of \(s.modelDirectory.lastPathComponent)") }
        let data = s.dataDirectory
        let cache = s.cacheDirectory.appendingPathComponent("paper-a-full")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        let chosen = students(bertLayers: bert.encoder.layers.count, distilLayers: distil?.encoder.layers.count)
            .filter { s.students.isEmpty || s.students.contains($0.spec.paperName) }
        let specs = chosen.map(\.spec)
        func checkpoint(_ spec: StudentSpec) -> Checkpoint {
            chosen.first { $0.spec == spec }!.fromDistil ? distil! : bert
        }

        // Stage 1: training (skipped by a shard run, which needs the trained students). The time budget is the whole
        // stage's.
        let start = Date()
        var trained: [String: URL] = [:]
        var lazyTexts: (queries: MappedCollection, passages: MappedCollection)?
        func texts() throws -> (queries: MappedCollection, passages: MappedCollection) {
            if let t = lazyTexts { return t }
            log("indexing the collection and the training queries (kept in \(cache.path))")
            let t = (try MappedCollection(path: data.appendingPathComponent("msmarco-passage/queries.train.tsv").path,
                                          indexPath: cache.appendingPathComponent("queries.train.index").path),
                     try MappedCollection(path: data.appendingPathComponent("msmarco-passage/collection.tsv").path,
                                          indexPath: cache.appendingPathComponent("collection.index").path))
            lazyTexts = t
            return t
        }
        for job in jobs(specs) {
            let (spec, regime) = (job.spec, job.regime)
            let scoreFile = data.appendingPathComponent(scoreFiles[regime]!).path
            let loop = TrainingLoopConfig(totalSteps: s.steps, learningRate: s.learningRate,
                                          warmupSteps: min(1000, max(1, s.steps / 10)), linearDecay: true,
                                          checkpointEvery: s.checkpointEvery, seed: s.seed)
            let training = PairwiseTrainingConfig(loss: job.loss, batchSize: s.batchSize, loop: loop)
            let name = regime == .none ? "noKD" : regime.rawValue
            let key = "\(spec.paperName)-\(job.loss == Job.defaultLoss(regime) ? name : "\(name)-\(job.loss.rawValue)")-" + stableHash(Array(
                "\(configurationHash(training))|\(spec.architecture)|\(spec.keepLayers)|\(spec.options.sorted { $0.key < $1.key })|\(s.limits.maxQueryLength)|\(s.limits.maxPassageLength)|\(checkpoint(spec).identity)|\(scoreFiles[regime]!)|numerics-\(PaperAPipeline.numericsGeneration)".utf8))
            let folder = cache.appendingPathComponent("students/\(key)")
            let model = folder.appendingPathComponent("model")
            trained[job.id] = model
            if FileManager.default.fileExists(atPath: model.appendingPathComponent("ranker.json").path) { continue }
            if s.shard != nil { continue }
            log("training \(spec.paperName) (\(spec.label)), \(job.label): \(s.steps) steps of \(s.batchSize) triples from \(scoreFiles[regime]!)")
            let (q, p) = try texts()
            let stream = try StreamedTriples(scoreFile: scoreFile, queries: q, passages: p, batchSize: s.batchSize,
                                             tokenize: checkpoint(spec).tokenize)
            let ranker = try RankerRegistry.make(spec.architecture, teacher: checkpoint(spec).encoder,
                                                 recipe: StudentRecipe(keepLayers: spec.keepLayers, limits: s.limits,
                                                                       seed: s.seed, options: spec.options))
            let checkpoints = folder.appendingPathComponent("checkpoint")
            try FileManager.default.createDirectory(at: checkpoints, withIntermediateDirectories: true)
            let result = try trainPairwise(ranker, batches: { try stream.batch($0) }, identity: stream.identity,
                                           config: training, checkpointDirectory: checkpoints,
                                           timeBudgetSeconds: s.timeBudgetSeconds.map { max(1, $0 - Date().timeIntervalSince(start)) },
                                           progress: { log("      \(spec.paperName) \(job.label): " + $0.line) })
            if result.outOfTime {
                log("time budget spent at step \(result.state.step) of \(s.steps); the checkpoint is kept — run the same command again to go on")
                return
            }
            let tmp = folder.appendingPathComponent(".model.tmp")
            try? FileManager.default.removeItem(at: tmp)
            try ranker.save(to: tmp)
            try moveIntoPlace(tmp, to: model)
        }
        if s.trainOnly { log("trained; re-rank with --shard I/N on as many machines as you like, then run again without --shard"); return }

        // Stage 2: re-ranking, per shard.
        var results: [String: [String: (ndcg10: Double, mrr10: Double)]] = [:]
        for test in testSets {
            let file = try CandidateFile(path: data.appendingPathComponent(test.candidates).path)
            for job in jobs(specs) {
                let spec = job.spec
                do {
                    let model = trained[job.id]!
                    guard FileManager.default.fileExists(atPath: model.appendingPathComponent("ranker.json").path) else {
                        throw ExperimentError("\(spec.paperName) (\(job.label)) is not trained yet: run without --shard first "
                                              + "(add --train-only to stop before re-ranking)")
                    }
                    let runs = model.deletingLastPathComponent().appendingPathComponent("runs")
                    try FileManager.default.createDirectory(at: runs, withIntermediateDirectories: true)
                    let ranker = try RankerRegistry.load(model)
                    let identity = model.lastPathComponent + model.deletingLastPathComponent().lastPathComponent
                    func shardRun(_ sh: Shard) -> URL { runs.appendingPathComponent("\(test.name).shard-\(sh.index)-of-\(sh.count).trec") }
                    if let sh = s.shard {
                        log("re-ranking \(test.name) shard \(sh.index)/\(sh.count) with \(spec.paperName) (\(job.label))")
                        let report = throttledFractionProgress("      \(test.name) shard \(sh.index)/\(sh.count)", log)
                        try CandidateReranking.rerankShard(ranker, file: file, shard: sh, model: identity, tokenize: checkpoint(spec).tokenize,
                                                           tag: spec.paperName, to: shardRun(sh),
                                                           progress: { done, all in report(Double(done) / Double(max(all, 1))) })
                        continue
                    }
                    let merged = runs.appendingPathComponent("\(test.name).trec")
                    if !FileManager.default.fileExists(atPath: merged.path) {
                        let shards = complete(runs: runs, test: test.name)
                        if let shards {
                            log("merging \(shards.count) shard runs of \(test.name) for \(spec.paperName) (\(job.label))")
                            try CandidateReranking.merge(shards, to: merged)
                        } else {
                            log("re-ranking \(test.name) (\(file.queryIDs.count) queries, \(file.count) candidates) with \(spec.paperName) (\(job.label))")
                            let whole = Shard(index: 0, count: 1)!
                            let report = throttledFractionProgress("      \(test.name)", log)
                            try CandidateReranking.rerankShard(ranker, file: file, shard: whole, model: identity, tokenize: checkpoint(spec).tokenize,
                                                               tag: spec.paperName, to: shardRun(whole),
                                                               progress: { done, all in report(Double(done) / Double(max(all, 1))) })
                            try CandidateReranking.merge([shardRun(whole)], to: merged)
                        }
                    }
                    let qrels = try Qrels.read(data.appendingPathComponent(test.qrels).path)
                    let run = try topOfRun(merged.path, depth: 10)
                    let ndcg = TrecEval.evaluate(qrels: qrels, run: run, measures: [.ndcgCut(10)]).value(.ndcgCut(10)) ?? 0
                    let mrr = TrecEval.evaluate(qrels: qrels, run: run, measures: [.recipRank],
                                                options: EvalOptions(relevanceLevel: test.level, maxDocuments: 10)).value(.recipRank) ?? 0
                    results[job.id, default: [:]][test.name] = (ndcg, mrr)
                }
            }
        }
        // Stage 2b: dense retrieval with the BERT_DOT students (Table E). A shard encodes its passages of the collection
        // and searches them for every query of both test sets; the run without --shard merges (or does it all).
        let dense = try denseRetrieval(specs.filter { $0.architecture == "bert-dot" }, trained: trained, shard: s.shard,
                                       collection: { try texts().passages }, tokenize: { checkpoint($0).tokenize },
                                       data: data, log: log)
        if s.shard != nil { log("shard written; when every shard is there, run again without --shard to merge and report"); return }

        // Stage 3: Table C.
        var table = Table(title: "Table C (full scale) — students re-ranking the BM25 top 1000 of TREC DL 2019 and MS MARCO dev-small",
                          caption: "Each student trained without KD (RankNet) and with Margin-MSE from the paper's published T1 and T2 scores, \(s.steps) steps of \(s.batchSize) triples.",
                          columns: ["Student (paper name)", "ours", "Teacher", "DL19 nDCG@10", "DL19 MRR@10", "DEV MRR@10",
                                    "paper TREC-19 nDCG@10", "paper DEV MRR@10"])
        for spec in specs {
            let paperRow = MarginMSEPaper.tableC.first { $0.student == spec.paperName }
            for (i, regime) in regimes.enumerated() {
                let r = results["\(spec.paperName)|\(regime.rawValue)"]!
                table.rows.append(Row([.text(i == 0 ? spec.paperName : ""), .text(i == 0 ? spec.label : ""), .text(regime.rawValue),
                                       .number(r["dl19"]!.ndcg10), .number(r["dl19"]!.mrr10), .number(r["dev"]!.mrr10),
                                       paperRow.map { MarginMSEPaper.cell($0.trecNDCG10, regime) } ?? .unknown,
                                       paperRow.map { MarginMSEPaper.cell($0.devMRR10, regime) } ?? .unknown]))
            }
        }
        table.notes = [
            distil == nil
                ? "Students cut from \(s.modelDirectory.lastPathComponent) (\(bert.encoder.layers.count) layers); without a DistilBERT checkpoint the DistilBERT rows keep every other layer, as DistilBERT was initialised — the paper's are DistilBERT checkpoints."
                : "BERT-Base_DOT from \(s.modelDirectory.lastPathComponent); the other students from \(s.distilBERTDirectory!.lastPathComponent) (loaded with a zero token-type table, as DistilBERT has none). TK contextualises the checkpoint's word pieces, not GloVe.",
            "Trained on the published teacher-score files in file order (no KD: RankNet on T1's rows), Adam peak rate \(s.learningRate), linear warm-up and decay, no validation: the last step is evaluated.",
            "MRR@10 at relevance ≥ 1 on dev-small and ≥ 2 on DL19; nDCG@10 graded. Paper columns digitised from the paper's Figure C (±0.001).",
            "Command: \(command)",
        ]
        try FileManager.default.createDirectory(at: s.outputDirectory, withIntermediateDirectories: true)
        try table.write(base: s.outputDirectory.appendingPathComponent("table-c"), html: true)
        log("wrote \(s.outputDirectory.appendingPathComponent("table-c").path).{md,csv,html}")

        // Stage 3b: Table B and Figures B and C.
        try teacherTable(data: data, cache: cache, command: command, log: log)
            .write(base: s.outputDirectory.appendingPathComponent("table-b"), html: true)
        let scoreRanges = try scoreRangeFigure(specs, trained: trained, steps: s.steps, command: command)
        try writeAtomically(scoreRanges.svg, to: s.outputDirectory.appendingPathComponent("figure-b.svg"))
        try scoreRanges.table.write(base: s.outputDirectory.appendingPathComponent("figure-b"), html: true)
        let dl19 = try CandidateFile(path: data.appendingPathComponent(testSets[0].candidates).path)
        let latency = try latencies(specs, trained: trained, file: dl19, queries: s.latencyQueries,
                                    tokenize: { checkpoint($0).tokenize }, log: log)
        let efficiency = try efficiencyFigure(specs, latency: latency, results: results, command: command)
        try writeAtomically(efficiency.svg, to: s.outputDirectory.appendingPathComponent("figure-c.svg"))
        try efficiency.table.write(base: s.outputDirectory.appendingPathComponent("figure-c"), html: true)
        log("wrote table-b, figure-b and figure-c in \(s.outputDirectory.path)")

        // Stage 4: Table D.
        let lossSpecs = specs.filter { lossStudents.contains($0.paperName) }
        if !lossSpecs.isEmpty {
            var tableD = Table(title: "Table D (full scale) — distillation losses from T2, re-ranking the BM25 top 1000 of TREC DL 2019 and MS MARCO dev-small",
                               caption: "The same students trained from the paper's published T2 scores with each loss, \(s.steps) steps of \(s.batchSize) triples.",
                               columns: ["Student", "Loss", "DL19 nDCG@10", "DL19 MRR@10", "DEV MRR@10", "paper nDCG@10", "paper MRR@10"])
            for spec in lossSpecs {
                let rows: [(String, String)] = [("\(spec.paperName)|\(Regime.none.rawValue)", "RankNet (no KD)")]
                    + ([PairwiseLoss.marginMSE] + otherLosses).map { loss in
                        (Job(spec: spec, regime: .t2, loss: loss).id, loss.rawValue) }
                for (i, (id, label)) in rows.enumerated() {
                    let r = results[id]!
                    tableD.rows.append(Row([.text(i == 0 ? "\(spec.paperName) (\(spec.label))" : ""), .text(label),
                                            .number(r["dl19"]!.ndcg10), .number(r["dl19"]!.mrr10), .number(r["dev"]!.mrr10),
                                            .unknown, .unknown]))
                }
            }
            tableD.notes = ["The paper's loss comparison could not be read: every paper cell is unknown.",
                            "Command: \(command)"]
            try tableD.write(base: s.outputDirectory.appendingPathComponent("table-d"), html: true)
            log("wrote \(s.outputDirectory.appendingPathComponent("table-d").path).{md,csv,html}")
        }

        // Stage 5: Table E.
        guard !dense.isEmpty else { return }
        let measureNames = ["nDCG@10", "MRR@10", "R@1000"]
        var tableE = Table(title: "Table E (full scale) — dense retrieval from the whole collection with the BERT_DOT students",
                           caption: "Each BERT_DOT student of Table C encodes every passage; each query of TREC DL 2019 and MS MARCO dev-small retrieves its top 1000 by exact dot product.",
                           columns: ["Model", "ours", "Teacher"] + ["DL19", "DEV"].flatMap { t in measureNames.map { Column("\(t) \($0)") } }
                               + ["TREC-19", "DEV"].flatMap { t in measureNames.map { Column("paper \(t) \($0)") } })
        for spec in specs where spec.architecture == "bert-dot" {
            let paperRows = MarginMSEPaper.tableE.filter { $0.model == spec.paperName }
            for (i, regime) in regimes.enumerated() {
                guard let ours = dense["\(spec.paperName)|\(regime.rawValue)"] else { continue }
                let paper = paperRows.count == 3 ? regime.paperIndex.map { paperRows[$0].cells } : nil
                tableE.rows.append(Row([.text(i == 0 ? spec.paperName : ""), .text(i == 0 ? spec.label : ""), .text(regime.rawValue)]
                                       + ours.map { .number($0) } + (0..<6).map { paper?[$0].cell ?? .unknown }))
            }
        }
        tableE.notes = [
            "Exact search over float32 vectors (the paper's index is fp16); the students are Table C's, trained as re-rankers.",
            "MRR@10 and R@1000 at relevance ≥ 2 on DL19 and ≥ 1 on dev-small; nDCG@10 graded.",
            "Command: \(command)",
        ]
        try tableE.write(base: s.outputDirectory.appendingPathComponent("table-e"), html: true)
        log("wrote \(s.outputDirectory.appendingPathComponent("table-e").path).{md,csv,html}")
    }

    /// Dense retrieval with each trained BERT_DOT student (`trained["NAME|regime"]`): with `shard`, encodes that
    /// shard's passages (`CollectionEncoding`) and searches them (`CollectionSearch`) for every query of both test
    /// sets; without, merges complete shard runs or does the whole collection, and measures. Returns, per
    /// "NAME|regime", DL19 and dev nDCG@10, MRR@10 and R@1000 (empty for a shard run).
    static func denseRetrieval(_ specs: [StudentSpec], trained: [String: URL], shard: Shard?,
                               collection: () throws -> MappedCollection, tokenize: (StudentSpec) -> (String) -> [Int],
                               data: URL, log: @escaping (String) -> Void) throws -> [String: [Double]] {
        guard !specs.isEmpty else { return [:] }
        // Every query of both test sets, once, in file order.
        var queryIDs: [String] = [], queryTexts: [String] = [], seen = Set<Int>()
        for test in testSets {
            let file = try CandidateFile(path: data.appendingPathComponent(test.candidates).path)
            for i in file.queryIDs.indices where seen.insert(file.queryIDs[i]).inserted {
                queryIDs.append(String(file.queryIDs[i])); queryTexts.append(file.queryText(at: i))
            }
        }
        var out: [String: [Double]] = [:]
        for spec in specs {
            for regime in regimes {
                let model = trained["\(spec.paperName)|\(regime.rawValue)"]!
                guard FileManager.default.fileExists(atPath: model.appendingPathComponent("ranker.json").path) else {
                    throw ExperimentError("\(spec.paperName) (\(regime.rawValue)) is not trained yet: run without --shard first")
                }
                let folder = model.deletingLastPathComponent().appendingPathComponent("dense")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                let merged = folder.appendingPathComponent("run.trec")
                func shardRun(_ sh: Shard) -> URL { folder.appendingPathComponent("run.shard-\(sh.index)-of-\(sh.count).trec") }
                if shard != nil || !FileManager.default.fileExists(atPath: merged.path) {
                    if shard == nil, let shards = complete(runs: folder, test: "run") {
                        log("merging \(shards.count) shard searches for \(spec.paperName) (\(regime.rawValue))")
                        try CollectionSearch.merge(shards, k: 1000, to: merged)
                    } else {
                        guard let dot = try RankerRegistry.load(model) as? BertDot else {
                            throw ExperimentError("\(model.path): not a BERT_DOT ranker")
                        }
                        let sh = shard ?? Shard(index: 0, count: 1)!
                        let identity = model.deletingLastPathComponent().lastPathComponent
                        let rows = folder.appendingPathComponent("collection.shard-\(sh.index)-of-\(sh.count).f32")
                        let passages = try collection()
                        let tok = tokenize(spec)
                        // Blocks of 4,096 passages (the unit of sharding), fewer for a small collection so that every
                        // shard gets some; a function of the collection alone, so every shard cuts the same blocks.
                        let blockSize = min(CollectionEncoding.defaultBlockSize, max(1, passages.count / 64))
                        if !FileManager.default.fileExists(atPath: TeacherScoreShards.sidecar(of: rows).path) {
                            log("encoding \(CollectionEncoding.range(passages.count, shard: sh, blockSize: blockSize).count) passages with \(spec.paperName) (\(regime.rawValue)), shard \(sh.index)/\(sh.count)")
                            let h = dot.encoder.hiddenSize
                            let progress = throttledFractionProgress("      passages", log)
                            try CollectionEncoding.encode(passages, dimension: h, model: identity, tokenize: tok,
                                                          embed: { dot.vectors($0, isQuery: false) },
                                                          shard: sh, blockSize: blockSize, to: rows,
                                                          progress: { done, all in progress(Double(done) / Double(max(1, all))) })
                        }
                        log("searching \(queryIDs.count) queries' top 1000 with \(spec.paperName) (\(regime.rawValue)), shard \(sh.index)/\(sh.count)")
                        let queries = Experiments.embed(dot, queryTexts.map(tok), isQuery: true)
                        try CollectionSearch.searchShard(rows: rows, queries: queries, queryIDs: queryIDs, dim: dot.encoder.hiddenSize,
                                                         k: 1000, tag: spec.paperName, to: shardRun(sh))
                        if shard == nil { try CollectionSearch.merge([shardRun(sh)], k: 1000, to: merged) }
                    }
                }
                if shard != nil { continue }
                // Read one query at a time: a full run is 7M lines.
                var measures: [Double] = []
                for test in testSets {
                    let qrels = try Qrels.read(data.appendingPathComponent(test.qrels).path)
                    measures += try TrecEval.evaluateFile(merged.path, qrels: qrels, measures: [
                        (.ndcgCut(10), EvalOptions()), (.recipRank, EvalOptions(relevanceLevel: test.level, maxDocuments: 10)),
                        (.recall(1000), EvalOptions(relevanceLevel: test.level))])
                }
                out["\(spec.paperName)|\(regime.rawValue)"] = measures
            }
        }
        return out
    }

    /// The shard runs of `test` in `runs` when they form one complete set (every shard of one N), else nil.
    static func complete(runs: URL, test: String) -> [URL]? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: runs.path)) ?? []
        var byCount: [Int: [URL]] = [:]
        for n in names where n.hasPrefix("\(test).shard-") && n.hasSuffix(".trec") {
            let parts = n.dropFirst("\(test).shard-".count).dropLast(".trec".count).components(separatedBy: "-of-")
            guard parts.count == 2, let i = Int(parts[0]), let c = Int(parts[1]), i < c,
                  FileManager.default.fileExists(atPath: runs.appendingPathComponent(n + ".shard.json").path) else { continue }
            byCount[c, default: []].append(runs.appendingPathComponent(n))
        }
        return byCount.filter { $0.value.count == $0.key }.max { $0.key < $1.key }?.value
    }

    /// The lines of our own TREC run at `path` with rank ≤ `depth` (what MRR@10 and nDCG@10 read: the ranks we write
    /// follow trec_eval's order), so that a 7M-line run is not held.
    static func topOfRun(_ path: String, depth: Int) throws -> Run {
        var results: [String: [ScoredDoc]] = [:]
        try Run.forEachLine(path) { line, n in
            guard let rank = line.rank else {
                throw DataFormatError(file: path, line: n, expected: "a whole-number rank", found: "\(line)")
            }
            if rank <= depth { results[line.qid, default: []].append(ScoredDoc(line.docid, line.score)) }
        }
        return Run(results)
    }
}
