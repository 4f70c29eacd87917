// The Margin-MSE workflow run for the paper's tables, once per `reproduce` run and cached on disk by configuration:
//   data      MS MARCO dev-small → training triples (+ held-out validation queries, `DistillationData.devSmall`);
//             TREC DL 2019 and TREC DL 2020 → the two test sets, both untouched by training (the paper's TREC-19
//             column, and DL20 standing in for its DEV column)
//   step 1    teachers T1 and the T2 members: BERT_CAT trained with RankNet          (cache: paper-a/teacher/<key>)
//   step 2    their scores for every training triple; T2 = the per-pair mean          (cache: paper-a/scores/…)
//             (with --minilm-teacher also all-MiniLM-L6-v2's cosines, z-normalised: regime MiniLM, and the same
//             scaled per student to its own no-KD margin: regime MiniLM scaled)
//   step 3    students × {no KD, T1, T2 (, MiniLM, MiniLM scaled)} and the loss table (cache: paper-a/student/<key>)
//   test      re-ranking each test set's BM25 top-100 with each model, trec_eval semantics  (cache: paper-a/eval/<key>,
//             keyed by the student's own key from step 3 and the test set, so that a student trained anew is
//             evaluated anew)
// Every artefact of Paper A asks this pipeline for what it needs; nothing is trained twice.

import Foundation
import Corpus
import Eval
import MarginMSE
import Student
import Tensors
import Vocab
import Training

/// How a student was trained: without a teacher, or with the scores of T1, T2 or all-MiniLM-L6-v2 (`.miniLM`, not one of
/// the paper's teachers; shown only by `reproduce paper-a --minilm-teacher`, see `PaperAPipeline.regimes`).
/// `.miniLMScaled`: the same teacher with its margins rescaled to the student's own margin scale (see
/// `PaperAPipeline.miniLMScale`).
public enum Regime: String, Codable, Sendable, CaseIterable {
    case none = "–", t1 = "T1", t2 = "T2", miniLM = "MiniLM", miniLMScaled = "MiniLM scaled"
}

/// A trained model's re-ranking results on one test set.
public struct EvalRecord: Codable, Sendable {
    public var scores: RerankingScores
    public var perQueryNDCG10: [String: Double]
    public var perQueryMRR10: [String: Double]
}

/// A trained student: where it is saved, its training log (average positive / negative score per step).
public struct StudentRecord: Codable, Sendable {
    public var folder: String
    public var steps: Int
    public var bestStep: Int?
    public var posAvg: [Double]
    public var negAvg: [Double]
    public var seconds: Double

    /// Average positive and negative score over the last 10 % of the training steps (Figure B's numbers).
    public var tailAverages: (positive: Double, negative: Double) {
        let tail = max(1, min(posAvg.count, negAvg.count) / 10)
        guard !posAvg.isEmpty, !negAvg.isEmpty else { return (0, 0) }
        return (posAvg.suffix(tail).reduce(0, +) / Double(tail), negAvg.suffix(tail).reduce(0, +) / Double(tail))
    }
}

public final class PaperAPipeline: @unchecked Sendable {
    public let context: ExperimentContext
    public let plan: PaperAPlan
    let cache: ResultCache
    private let lock = NSLock()
    private let memoLock = NSLock()
    private var passageMemos: [String: PassageVectorMemo] = [:]

    /// One pipeline per (output, cache, scale, seed) in a process, shared by the Paper A artefacts.
    private static let registry = PipelineRegistry<PaperAPipeline>()
    public static func forContext(_ c: ExperimentContext) -> PaperAPipeline { registry.pipeline(for: c) { PaperAPipeline(context: c) } }

    /// `plan`: the scale's plan unless given (tests vary it).
    init(context: ExperimentContext, plan: PaperAPlan? = nil) {
        self.context = context
        self.plan = plan ?? PaperAPlan.forScale(context.usesSyntheticData ? .smoke : context.scale, budget: context.paperABudget,
                                                extraStudents: context.paperAStudents)
        self.cache = ResultCache(root: context.cacheDirectory.appendingPathComponent("paper-a"))
    }

    /// What identifies the data, the pre-trained encoder and the seed in cache keys. (The default seed adds nothing.)
    var dataIdentity: String {
        context.usesSyntheticData ? teacherDataIdentity : teacherDataIdentity + context.seedIdentity
    }

    /// The identity without the seed: what the teachers, their runs and their scores depend on (their seeds are the
    /// plan's, and the triples' sampling seed too), so that a run with another `--seed` reuses them. It names how the
    /// dev-small triples are sampled, so that a plan with other titled rows or negatives trains its own teachers.
    var teacherDataIdentity: String {
        let numerics = PaperAPipeline.numericsGeneration > 1 ? "/numerics-\(PaperAPipeline.numericsGeneration)" : ""
        if context.usesSyntheticData { return "synthetic-\(context.seed)-two-test-sets" + numerics }
        let d = plan.devSmall
        return "dev-small-train-\(d.titled.rawValue)-n\(d.negativesPerQuery)-depth\(d.negativeDepth)-v\(d.validationQueries)-s\(d.seed)"
            + "/dl19+dl20-test/all-MiniLM-L6-v2" + numerics
    }

    /// The generation of the trained models' arithmetic, in every Paper A cache key (through `teacherDataIdentity`,
    /// and in the full scale's student keys): a change that alters the bits of a *trained* model — not of a forward
    /// pass on given weights — raises it, so that a cache filled before trains anew instead of serving models the
    /// current code would not make (the cache is never cleared; the old entries stay where they are).
    /// 1 (no suffix): until 841ff81. 2: the last layer of BERT_CAT, BERT_DOT and PreTT at [CLS] only.
    public static let numericsGeneration = 2

    /// The test sets, in table order: TREC DL 2019 and TREC DL 2020.
    public static let testSetNames = ["dl19", "dl20"]

    /// The students' training loop: the plan's, with its data-order and dropout seed drawn from a non-default `--seed`
    /// (with the default seed, exactly the plan's, so committed results and caches stay as they are). With the head
    /// initialisation (`StudentConfig.seed`), that makes `--seed N` a replicate of every student.
    var studentLoop: TrainingLoopConfig {
        var loop = plan.studentLoop
        if context.seed != ExperimentContext.defaultSeed { loop.seed ^= context.seed &* 0x9E37_79B9_7F4A_7C15 }
        return loop
    }

    /// The regimes the tables show: the paper's three, and the MiniLM teacher when the run asks for it.
    public var regimes: [Regime] {
        context.paperAMiniLMTeacher ? [.none, .t1, .t2, .miniLM, .miniLMScaled] : [.none, .t1, .t2]
    }

    /// The teacher of the loss table (Table D): T2 as in the paper, or MiniLM when the run adds it.
    public var lossTeacher: Regime { context.paperAMiniLMTeacher ? .miniLM : .t2 }

    // MARK: data and encoder

    // Loaded on first use and kept (`Memo`): a failure is thrown to the artefact that asked.
    private lazy var tokenizerMemo = Memo { [unowned self] in try loadTokenizer() }
    private lazy var encoderMemo = Memo { [unowned self] in try loadEncoder() }
    private lazy var testSetsMemo = Memo { [unowned self] in try Self.testSetNames.map(loadTestSet) }
    private lazy var distillationMemo = Memo { [unowned self] in try loadDistillation() }
    private lazy var studentDataMemo = Memo { [unowned self] () throws -> DistillationData in
        guard let n = plan.studentTriples else { return try distillation }
        var d = try distillation
        d.triples = d.triples.sample(n, seed: plan.studentLoop.seed)
        return d
    }
    private lazy var testTextsMemo = Memo { [unowned self] () throws -> TokenizedTexts in
        var q: [String: [Int]] = [:], p: [String: [Int]] = [:]
        let tokenizer = try tokenizer
        for t in try testSets.map({ $0.tokenized(tokenizer) }) {
            q.merge(t.queries) { a, _ in a }; p.merge(t.passages) { a, _ in a }
        }
        return TokenizedTexts(queries: q, passages: p)
    }

    public var tokenizer: BertTokenizer { get throws { try tokenizerMemo.get() } }
    public var encoder: TransformerEncoder { get throws { try encoderMemo.get() } }
    /// The test sets (`testSetNames`), re-ranked by every model.
    public var testSets: [RerankingData] { get throws { try testSetsMemo.get() } }
    /// The first test set, TREC DL 2019: the paper's TREC-19 column, and where latencies are timed.
    public var mainTestSet: RerankingData { get throws { try testSets[0] } }
    public var distillation: DistillationData { get throws { try distillationMemo.get() } }
    /// What the students learn from: the training triples, or the plan's sample of them (`PaperAPlan.studentTriples`),
    /// with the same validation queries and texts. The teachers score exactly these triples.
    public var studentData: DistillationData { get throws { try studentDataMemo.get() } }
    /// How the dev-small triples came out (nil at the smoke scale).
    public private(set) var devSmallSummary: DevSmallSummary?
    /// Word pieces of every query and candidate passage of the test sets.
    public var testTexts: TokenizedTexts { get throws { try testTextsMemo.get() } }

    func loadTestSet(_ name: String) throws -> RerankingData {
        if context.usesSyntheticData { return Self.syntheticSplit(name, seed: context.seed) }
        return try RerankingData.trecDL(name, dataDirectory: context.dataDirectory!)
    }

    /// The training triples: dev-small's (with no passage of a test set) or, at the smoke scale, the synthetic
    /// training queries'.
    func loadDistillation() throws -> DistillationData {
        if context.usesSyntheticData {
            return DistillationData.make(Self.syntheticSplit("train", seed: context.seed), tokenizer: try tokenizer,
                                         sampling: plan.sampling)
        }
        let test = try testSets.reduce(into: Set<String>()) { $0.formUnion($1.passages.keys) }
        let (d, summary) = DistillationData.devSmall(try DevSmallData.load(dataDirectory: context.dataDirectory!),
                                                     testPassages: test, tokenizer: try tokenizer, sampling: plan.devSmall)
        devSmallSummary = summary
        return d
    }

    func loadTokenizer() throws -> BertTokenizer {
        if context.usesSyntheticData {
            let c = SyntheticCollection.generate(seed: context.seed)
            let v = try WordPieceTrainer.train(texts: c.documents.map(\.text) + c.queries.map(\.text),
                                               config: WordPieceTrainerConfig(vocabSize: 400, minFrequency: 1))
            return try BertTokenizer(vocabulary: v)
        }
        guard let m = context.modelDirectory else { throw ExperimentError("no teacher model folder (all-MiniLM-L6-v2) found; pass --model DIR") }
        return try BertTokenizer(vocabFile: (m as NSString).appendingPathComponent("vocab.txt"))
    }

    func loadEncoder() throws -> TransformerEncoder {
        if context.usesSyntheticData {
            let c = BertConfig(vocabSize: try tokenizer.vocabulary.count, hiddenSize: 32, numHiddenLayers: 2, numAttentionHeads: 2,
                               intermediateSize: 64, hiddenAct: "gelu", maxPositionEmbeddings: 128, typeVocabSize: 2,
                               layerNormEps: 1e-12, padTokenId: 0, modelType: "bert", positionEmbeddingType: "absolute")
            return TransformerEncoder(config: c, seed: context.seed)
        }
        return try TransformerEncoder.load(URL(fileURLWithPath: context.modelDirectory!))
    }

    /// The synthetic collection split by query number within a topic: 0 stands for DL19, 1 for DL20 (Paper A's test
    /// sets), 2 and 3 for the training queries ("train"); "even" (0 and 2) is Paper B's test set. Candidates from our
    /// BM25.
    static func syntheticSplit(_ name: String, seed: UInt64) -> RerankingData {
        let c = SyntheticCollection.generate(seed: seed)
        let wanted: Set<Int> = name == "dl19" ? [0] : name == "dl20" ? [1] : name == "even" ? [0, 2] : [2, 3]
        let keep = Set(c.queries.map(\.id).filter { wanted.contains((Int($0.split(separator: "-").last ?? "0") ?? 0) % 4) })
        let queries = Dictionary(uniqueKeysWithValues: c.queries.filter { keep.contains($0.id) }.map { ($0.id, $0.text) })
        let index = BM25Index(documents: c.documents.map { ($0.id, $0.text) })
        let run = index.run(queries: queries.map { ($0.key, $0.value) }.sorted { $0.0 < $1.0 }, k: 100)
        return RerankingData(name: name == "train" ? "synthetic-train" : name == "even" ? "synthetic-test" : "synthetic-\(name)", queries: queries,
                             passages: Dictionary(uniqueKeysWithValues: c.documents.map { ($0.id, $0.text) }),
                             qrels: Qrels(c.judgements.filter { keep.contains($0.qid) }), candidates: run)
    }

    // MARK: step 1 — teachers

    struct TeacherKey: Codable { var config: TeacherConfig; var data: String }

    /// A trained BERT_CAT teacher (trained once, then loaded from the cache).
    public func teacher(_ config: TeacherConfig) throws -> BertCat {
        lock.lock(); defer { lock.unlock() }
        let dir = try cache.directory(kind: "teacher", config: TeacherKey(config: config, data: teacherDataIdentity))
        let model = dir.appendingPathComponent("model")
        if FileManager.default.fileExists(atPath: model.appendingPathComponent("ranker.json").path),
           let t = try RankerRegistry.load(model) as? BertCat { return t }
        context.progress("    training teacher \(config.name) (BERT_CAT, \(config.keepLayers.count) layers, \(config.training.loop.totalSteps) steps)")
        let (t, _) = try trainTeacher(config, encoder: encoder, data: distillation,
                                      control: RunControl(checkpointDirectory: dir.appendingPathComponent("checkpoint"),
                                                          progress: progressPrinter("teacher \(config.name)"),
                                                          progressEvery: 1))
        try t.save(to: model)
        return t
    }

    /// The teacher's re-ranking of a test set, cached (Table B needs the scores themselves, for the T2 mean,
    /// not only the measures that `evaluate` caches). Scores survive the JSON round trip exactly.
    public func teacherRun(_ config: TeacherConfig, on test: RerankingData) throws -> Run {
        struct Key: Codable { var config: TeacherConfig; var data: String; var test: String; var depth: Int }
        return try storedRun(Key(config: config, data: teacherDataIdentity, test: test.name, depth: plan.depth)) {
            let t = try teacher(config)
            context.progress("    re-ranking \(test.name) with teacher \(config.name)")
            return try RerankingEvaluation.rerank(t, data: test, texts: testTexts, depth: plan.depth,
                                                  progress: throttledFractionProgress("      queries", context.progress))
        }
    }

    /// The MiniLM teacher's re-ranking of a test set, cached like the BERT_CAT teachers' (Table B).
    public func miniLMTeacherRun(on test: RerankingData) throws -> Run {
        struct Key: Codable { var teacher: String; var limits: InputLimits; var data: String; var test: String; var depth: Int }
        return try storedRun(Key(teacher: Self.miniLMTeacherIdentity, limits: plan.limits, data: teacherDataIdentity,
                                 test: test.name, depth: plan.depth)) {
            context.progress("    re-ranking \(test.name) with all-MiniLM-L6-v2 (cosine)")
            return try RerankingEvaluation.rerank(miniLMTeacher, data: test, texts: testTexts, depth: plan.depth,
                                                  progress: throttledFractionProgress("      queries", context.progress))
        }
    }

    /// A run cached under `key` (kind `teacher-run`) with its scores, which survive the JSON round trip exactly.
    private struct StoredRun: Codable { var docids: [String: [String]]; var scores: [String: [Double]]; var tag: String }

    private func storedRun<Key: Codable>(_ key: Key, make: () throws -> Run) throws -> Run {
        let stored = try cache.value(kind: "teacher-run", config: key) {
            let run = try make()
            return StoredRun(docids: run.results.mapValues { $0.map(\.docid) },
                          scores: run.results.mapValues { $0.map(\.score) }, tag: run.tag)
        }
        var results: [String: [ScoredDoc]] = [:]
        for (qid, ids) in stored.docids {
            results[qid] = zip(ids, stored.scores[qid] ?? []).map { ScoredDoc($0.0, $0.1) }
        }
        return Run(results, tag: stored.tag)
    }

    /// all-MiniLM-L6-v2 as a teacher: the whole pre-trained encoder, mean pooling, cosine — the sentence-transformers
    /// model's own scoring, not trained here: an MS MARCO-trained bi-encoder, stronger than BM25 on TREC DL.
    private lazy var miniLMTeacherMemo = Memo { [unowned self] () throws -> BertDot in
        let encoder = try encoder
        return BertDot(encoder: encoder.reduced(keepingLayers: Array(0..<encoder.layers.count)), limits: plan.limits,
                       pooling: .mean, cosine: true)
    }
    public var miniLMTeacher: BertDot { get throws { try miniLMTeacherMemo.get() } }

    /// What identifies the MiniLM teacher's scores (the student keys' `teachers`).
    static let miniLMTeacherIdentity = "all-MiniLM-L6-v2/mean-pooling/cosine/z-normalised"

    // MARK: step 2 — teacher scores

    /// T1's scores, or T2's (the mean of the ensemble members' scores), for every training triple.
    public func teacherScores(_ regime: Regime) throws -> [TeacherScore] {
        let triples = try studentData.triples.triples
        let scoreCache = TeacherScoreCache(directory: cache.root.appendingPathComponent("scores"))
        func scores(_ c: TeacherConfig) throws -> [TeacherScore] {
            let t = try teacher(c)
            return try scoreCache.scores(teacher: c.identity + teacherDataIdentity, triples: triples) {
                context.progress("    scoring \(triples.count) training triples with \(c.name)")
                return try scoreTriples(t, triples: triples, texts: studentData.texts,
                                        progress: throttledFractionProgress("      triples", context.progress))
            }.scores
        }
        switch regime {
        case .none: return []
        case .t1: return try scores(plan.teacherT1)
        case .t2: return try TeacherEnsemble.mean(plan.ensemble.map(scores))
        case .miniLMScaled:
            preconditionFailure("the scaled MiniLM teacher depends on the student: teacherScores(_:for:)")
        case .miniLM:
            // Read once per pipeline: every scaled student and Table C's note ask for them again.
            lock.lock(); let memo = miniLMScoresMemo; lock.unlock()
            if let memo { return memo }
            // Cosines (σ ≈ 0.1) z-normalised over the triples, so that its margins are on the order of T1's logits.
            let key = Self.miniLMTeacherIdentity + "/q\(plan.limits.maxQueryLength)-p\(plan.limits.maxPassageLength)/" + teacherDataIdentity
            let scores = try scoreCache.scores(teacher: key, triples: triples) {
                context.progress("    scoring \(triples.count) training triples with all-MiniLM-L6-v2 (cosine)")
                return TeacherScore.standardised(try scoreTriples(miniLMTeacher, triples: triples, texts: studentData.texts,
                                                                  progress: throttledFractionProgress("      triples", context.progress)))
            }.scores
            lock.lock(); miniLMScoresMemo = scores; lock.unlock()
            return scores
        }
    }
    private var miniLMScoresMemo: [TeacherScore]?

    /// The teacher scores `spec` learns from under `regime`: those of `teacherScores(_:)`, or, for `.miniLMScaled`, the
    /// MiniLM teacher's multiplied by `miniLMScale(spec)`.
    public func teacherScores(_ regime: Regime, for spec: StudentSpec) throws -> [TeacherScore] {
        guard regime == .miniLMScaled else { return try teacherScores(regime) }
        let k = Float(try miniLMScale(spec))
        return try teacherScores(.miniLM).map { $0.scaled(by: k) }
    }

    /// The factor that brings the MiniLM teacher's mean margin to the margin `spec` reaches without a teacher (its
    /// no-KD run's mean positive − negative score over the last 10 % of training, Figure B). Margin-MSE is invariant to
    /// a shift of the scores but not to their scale: a student whose own margins are 4× the teacher's is pulled to
    /// shrink them all, which can cost more than the teacher's ranking teaches. 1 when the no-KD margin is not positive.
    public func miniLMScale(_ spec: StudentSpec) throws -> Double {
        let tail = try studentRecord(spec, regime: .none).tailAverages
        let own = tail.positive - tail.negative
        let teacher = try teacherScores(.miniLM)
        let margin = teacher.map { Double($0.margin) }.reduce(0, +) / Double(max(teacher.count, 1))
        guard own > 0, margin > 0, own.isFinite else { return 1 }
        return own / margin
    }

    // MARK: step 3 — students

    struct StudentKey: Codable {
        var spec: StudentSpec; var regime: Regime; var loss: PairwiseLoss; var loop: TrainingLoopConfig
        var batch: Int; var limits: InputLimits; var data: String; var teachers: [String]
        /// `PaperAPlan.studentTriples` (nil, the smoke scale's, leaves the key as it was).
        var triples: Int?
    }

    /// The cache folder of the student `spec` trained with `loss` against `regime`'s teacher.
    func studentDirectory(_ spec: StudentSpec, regime: Regime, loss: PairwiseLoss) throws -> URL {
        let teachers: [String]
        switch regime {
        case .none: teachers = []
        case .t1: teachers = [plan.teacherT1.identity]
        case .t2: teachers = plan.ensemble.map(\.identity)
        case .miniLM: teachers = [Self.miniLMTeacherIdentity]
        case .miniLMScaled: teachers = [Self.miniLMTeacherIdentity + "/scaled-to-the-no-KD-margin"]
        }
        let key = StudentKey(spec: spec, regime: regime, loss: regime == .none ? .rankNet : loss, loop: studentLoop,
                             batch: plan.batchSize, limits: plan.limits, data: dataIdentity, teachers: teachers,
                             triples: plan.studentTriples)
        return try cache.directory(kind: "student", config: key)
    }

    /// The training record of a student (its score averages per step), without loading the model when it is cached.
    public func studentRecord(_ spec: StudentSpec, regime: Regime, loss: PairwiseLoss = .marginMSE) throws -> StudentRecord {
        let url = try studentDirectory(spec, regime: regime, loss: loss).appendingPathComponent("record.json")
        if let data = try? Data(contentsOf: url), let record = try? JSONDecoder().decode(StudentRecord.self, from: data) {
            return record
        }
        return try student(spec, regime: regime, loss: loss).1
    }

    /// The student `spec` trained with `loss` against `regime`'s teacher (RankNet and no teacher for `.none`).
    public func student(_ spec: StudentSpec, regime: Regime, loss: PairwiseLoss = .marginMSE) throws -> (any Ranker, StudentRecord) {
        let effectiveLoss: PairwiseLoss = regime == .none ? .rankNet : loss
        let dir = try studentDirectory(spec, regime: regime, loss: loss)
        let model = dir.appendingPathComponent("model"), recordURL = dir.appendingPathComponent("record.json")
        if let data = try? Data(contentsOf: recordURL), let record = try? JSONDecoder().decode(StudentRecord.self, from: data),
           FileManager.default.fileExists(atPath: model.appendingPathComponent("ranker.json").path) {
            return (try RankerRegistry.load(model), record)
        }
        let scores: [TeacherScore]? = regime == .none ? nil : try teacherScores(regime, for: spec)
        context.progress("    training \(spec.paperName) (\(spec.label)), \(regime == .none ? "no KD" : "\(effectiveLoss.rawValue), \(regime.rawValue)")")
        let config = StudentConfig(architecture: spec.architecture, keepLayers: spec.keepLayers, options: spec.options,
                                   seed: context.seed, limits: plan.limits,
                                   training: PairwiseTrainingConfig(loss: effectiveLoss, batchSize: plan.batchSize, loop: studentLoop),
                                   validationDepth: plan.depth)
        let start = Date()
        let (s, result) = try trainStudent(config, encoder: encoder, scores: scores, data: studentData,
                                           control: RunControl(checkpointDirectory: dir.appendingPathComponent("checkpoint"),
                                                               progress: progressPrinter(spec.paperName),
                                                               progressEvery: 1))
        try s.save(to: model)
        let record = StudentRecord(folder: model.path, steps: result.state.step, bestStep: result.state.bestStep,
                                   posAvg: result.state.steps.map { $0.metrics["pos_avg"] ?? .nan },
                                   negAvg: result.state.steps.map { $0.metrics["neg_avg"] ?? .nan },
                                   seconds: Date().timeIntervalSince(start))
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        try enc.encode(record).write(to: recordURL, options: .atomic)
        return (s, record)
    }

    // MARK: test

    /// BM25's own ranking of a test set's candidates.
    public func bm25Record(_ test: RerankingData) -> EvalRecord { record(test.candidates, on: test) }

    /// Re-ranking results on `test` of the student `spec` trained with `loss` against `regime`'s teacher, cached under
    /// the student's own cache key and the test set: a student trained differently (other teachers, data, recipe) is
    /// a new key and is evaluated anew. The model is loaded (or trained) only when the evaluation is not cached.
    public func evaluate(_ spec: StudentSpec, regime: Regime, loss: PairwiseLoss = .marginMSE,
                         on test: RerankingData) throws -> EvalRecord {
        struct Key: Codable { var id: String; var student: String; var test: String; var depth: Int }
        let loss = regime == .none ? PairwiseLoss.rankNet : loss
        let id = "\(spec.paperName)-\(regime.rawValue)-\(loss.rawValue)-\(spec.label)"
        let key = Key(id: id, student: try studentDirectory(spec, regime: regime, loss: loss).lastPathComponent,
                      test: test.name, depth: plan.depth)
        return try cache.value(kind: "eval", config: key) {
            let (ranker, _) = try student(spec, regime: regime, loss: loss)
            context.progress("    re-ranking \(test.name) with \(id)")
            return record(try RerankingEvaluation.rerank(ranker, data: test, texts: testTexts, depth: plan.depth,
                                                         memo: passageMemo(key.student),
                                                         progress: throttledFractionProgress("      queries", context.progress)),
                          on: test)
        }
    }

    /// The passage vectors of the trained student in folder `student` (its cache key), kept for the whole run: a
    /// BERT_DOT student encodes each passage once for both test sets and for Table E's pool (bit-identical; see
    /// Student/DenseVectors.swift). Other architectures leave it empty.
    public func passageMemo(_ student: String) -> PassageVectorMemo {
        memoLock.withLock {
            if let m = passageMemos[student] { return m }
            let m = PassageVectorMemo()
            passageMemos[student] = m
            return m
        }
    }

    func record(_ run: Run, on test: RerankingData) -> EvalRecord {
        let graded = TrecEval.evaluate(qrels: test.qrels, run: run, measures: [.ndcgCut(10)])
        let mrr = TrecEval.evaluate(qrels: test.qrels, run: run, measures: [.recipRank],
                                    options: EvalOptions(relevanceLevel: 2, maxDocuments: 10))
        return EvalRecord(scores: RerankingEvaluation.scores(run, qrels: test.qrels),
                          perQueryNDCG10: graded.values(.ndcgCut(10)), perQueryMRR10: mrr.values(.recipRank))
    }

    /// A training run's progress about every 30 seconds and at the last step, with an ETA.
    func progressPrinter(_ name: String) -> (TrainingProgress) -> Void {
        let report = context.progress
        return throttledTrainingProgress { report("      \(name): \($0)") }
    }
}

public struct ExperimentError: Error, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}
