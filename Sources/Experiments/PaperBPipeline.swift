// The extreme-compression grid (Chaulwar et al. 2022, reconstructed in Docs/Paper-ExtremeCompression.md since the paper's body is not
// available), run once per `reproduce` run and cached by configuration:
//   teacher   all-MiniLM-L6-v2 (default) or a tiny random sentence encoder (smoke)
//   students  distilled with the sentence-transformers MSE procedure (Compression.distillStudent): the baseline
//             (teacher vocabulary, hidden 384, 1 layer by layer reduction), + vocabulary V*, + PCA to k = 128, + both;
//             the vocabulary sweep (Figure 1) and the PCA sweep (Figure 2); two ranker types: semantic similarity
//             (token size 52) and question–answer (token size 90)
//   quality   agreement with the teacher (Spearman of pairwise cosines, top-10 overlap, MSE×100 to the targets),
//             nDCG@10 / MRR@10 re-ranking DL19 BM25 top-100, nDCG@10 of dense retrieval on SciFact
//   cost      parameters, MB (fp32, int8), latency at batch 1 and token size 52/90, throughput, peak memory, CPU-s
// V* rule (stated on Docs/Paper-ExtremeCompression.md): the smallest trained vocabulary whose student is within `vStarTolerance` of
// the teacher-vocabulary student of the same shape, on the ranker type's main measure — going down from the largest
// trained size and stopping at the first that is not (where quality starts to drop). A smaller size that scores
// within the tolerance again below a drop is noise of one sample, not a knee (seed 2021: see Docs).

import Foundation
import Compression
import Corpus
import Eval
import MarginMSE
import PCA
import Student
import Tensors
import Vocab
import Training

public struct PaperBPlan: Codable, Sendable, Equatable {
    /// Trained vocabulary sizes of the sweep (the teacher's vocabulary is always included).
    public var vocabSizes: [Int]
    /// PCA / hidden sizes k of the sweep (the teacher's hidden size included means "no PCA").
    public var pcaDims: [Int]
    /// Shape of the sweep students: hidden for the vocabulary sweep, layers for all.
    public var sweepHidden: Int
    public var layers: Int
    /// The PCA size of the "+ PCA" rows (128, as Xayn's deployed models).
    public var compressedHidden: Int
    public var settings: DistillationSettings
    public var distillationLimit: Int
    public var agreementSample: Int
    public var measureTexts: Int
    public var vStarTolerance: Double

    public static func forScale(_ scale: Scale) -> PaperBPlan {
        var s = DistillationSettings()
        if scale == .smoke {
            s.batchSize = 16; s.maxSteps = 12; s.dropout = 0; s.vocabMinFrequency = 1; s.learningRate = 1e-3
            return PaperBPlan(vocabSizes: [250, 150], pcaDims: [32, 16, 8], sweepHidden: 16, layers: 1,
                              compressedHidden: 16, settings: s, distillationLimit: 400, agreementSample: 60,
                              measureTexts: 32, vStarTolerance: 0.01)
        }
        // ~13 of the 55 minutes of a default run on two AVX-512 cores (Paper A takes ~43): 240 updates of 64 texts per
        // student.
        s.batchSize = 64; s.maxSteps = 240
        return PaperBPlan(vocabSizes: [16_000, 8_000, 4_000, 2_000, 1_000], pcaDims: [384, 256, 128, 64, 32],
                          sweepHidden: 128, layers: 1, compressedHidden: 128, settings: s, distillationLimit: 20_000,
                          agreementSample: 1_000, measureTexts: 256, vStarTolerance: 0.01)
    }
}

/// Quality and cost of one model, as the tables show them.
public struct ModelResult: Codable, Sendable {
    public var name: String
    public var quality: QualityReport
    public var qualityInt8: QualityReport?
    public var measurements: Measurements?
    public var vocabulary: Int
    public var hidden: Int
    public var layers: Int
    public var explainedVariance: Double?
}

public final class PaperBPipeline: @unchecked Sendable {
    public let context: ExperimentContext
    public let plan: PaperBPlan
    let cache: ResultCache

    private static let registry = PipelineRegistry<PaperBPipeline>()
    public static func forContext(_ c: ExperimentContext) -> PaperBPipeline { registry.pipeline(for: c) { PaperBPipeline(context: c) } }

    init(context: ExperimentContext) {
        self.context = context
        self.plan = PaperBPlan.forScale(context.usesSyntheticData ? .smoke : context.scale)
        self.cache = ResultCache(root: context.cacheDirectory.appendingPathComponent("paper-b"))
    }

    /// What identifies the data (its seeded samples included) in cache keys.
    /// With dev-small's texts among the distillation texts, a run is a different run from one without them.
    var dataIdentity: String {
        if context.usesSyntheticData { return "synthetic-\(context.seed)" }
        return "default-data" + (CompressionData.hasDevSmall(root: context.dataDirectory!) ? "+dev-small" : "")
            + context.seedIdentity
    }

    // MARK: teacher and data

    // Loaded on first use and kept (`Memo`): a failure is thrown to the artefact that asked.
    private lazy var teacherMemo = Memo { [unowned self] in try loadTeacher() }
    private lazy var dataMemo = Memo { [unowned self] in try loadData() }
    private lazy var agreementMemo = Memo { [unowned self] in
        try TeacherEmbeddingCache.embeddings(teacher: try teacher, texts: try data.agreementTexts,
                                             maxLength: plan.settings.teacherMaxLength,
                                             directory: cache.root.appendingPathComponent("teacher-embeddings"))
    }
    public var teacher: Teacher { get throws { try teacherMemo.get() } }
    /// The teacher's embeddings of the evaluation texts (DL19, SciFact, the agreement sample), remembered for the
    /// run: both ranker types' teacher rows and every PCA head of Figure 2 read the same rows.
    /// The agreement sample's rows, which the teacher-embedding cache already holds, are remembered first when they
    /// were read at the evaluation's length (the same call, so the same rows).
    var teacherEvaluationRows: EmbeddingMemo { get throws { try evaluationRowsMemo.get() } }
    private lazy var evaluationRowsMemo = Memo { [unowned self] () throws -> EmbeddingMemo in
        let memo = EmbeddingMemo()
        if plan.settings.teacherMaxLength == PaperBPipeline.evaluationMaxLength {
            memo.remember(try data.agreementTexts, rows: rowArrays(try teacherAgreementRows))
        }
        return memo
    }
    /// Word pieces the teacher reads of an evaluation text.
    static let evaluationMaxLength = 256
    /// The teacher embedding the evaluation texts, remembered (`teacherEvaluationRows`), with progress.
    public var evaluationTeacher: TextEmbedder {
        get throws {
            TextEmbedder.teacher(try teacher, maxLength: PaperBPipeline.evaluationMaxLength, memo: try teacherEvaluationRows,
                                 progress: teacherProgress)
        }
    }
    /// The teacher with the PCA head of width `k`, on the remembered rows.
    public func evaluationTeacher(pca: PCAModel, k: Int) throws -> TextEmbedder {
        TextEmbedder.teacherWithPCA(try teacher, pca: pca, k: k, maxLength: PaperBPipeline.evaluationMaxLength,
                                    memo: try teacherEvaluationRows, progress: teacherProgress)
    }
    private func teacherProgress(_ texts: Int) -> (Double) -> Void {
        context.progress("      teacher: embedding \(texts) texts")
        return throttledFractionProgress("      teacher", context.progress)
    }
    public var data: CompressionData { get throws { try dataMemo.get() } }
    /// The teacher's embeddings of the agreement sample [n,d] (shared by every quality report).
    public var teacherAgreementRows: Tensor { get throws { try agreementMemo.get() } }

    func loadTeacher() throws -> Teacher {
        if context.usesSyntheticData {
            let a = PaperAPipeline.forContext(context)   // the same tiny encoder and vocabulary as Paper A's smoke run
            let model = SentenceEncoder(encoder: try a.encoder.reduced(keepingLayers: [0, 1]), pooling: .mean, dense: [],
                                        normalize: true, maxSeqLength: 128)
            return Teacher(model: model, tokenizer: try a.tokenizer, identity: "smoke-tiny-\(context.seed)")
        }
        guard let m = context.modelDirectory else { throw ExperimentError("no teacher model folder (all-MiniLM-L6-v2); pass --model DIR") }
        return try Teacher.load(URL(fileURLWithPath: m))
    }

    func loadData() throws -> CompressionData {
        if context.usesSyntheticData {
            let c = SyntheticCollection.generate(seed: context.seed)
            let test = PaperAPipeline.syntheticSplit("even", seed: context.seed)
            let qrels = test.qrels
            return CompressionData(
                distillationTexts: c.documents.map(\.text) + c.queries.filter { test.queries[$0.id] == nil }.map(\.text),
                dl19: test,
                scifact: RetrievalTask(queries: c.queries.filter { test.queries[$0.id] != nil }, documents: c.documents, qrels: qrels),
                agreementTexts: Array(c.documents.map(\.text).prefix(plan.agreementSample)))
        }
        return try CompressionData.load(root: context.dataDirectory!, distillationLimit: plan.distillationLimit,
                                        agreementSample: plan.agreementSample, seed: context.seed)
    }

    // MARK: students

    public func config(vocabulary: VocabularyChoice, hidden: Int, type: RankerType) -> DistillConfig {
        DistillConfig(shape: StudentShape(vocabulary: vocabulary, hidden: hidden, layers: plan.layers), rankerType: type,
                      settings: plan.settings)
    }

    /// The distilled student of `config` (trained once, then loaded from the cache) and its PCA explained variance.
    public func student(_ config: DistillConfig) throws -> (DistilledStudent, Double) {
        let dir = cache.root.appendingPathComponent("student").appendingPathComponent("\(config.hash)-\(dataIdentity)")
        let model = dir.appendingPathComponent("model"), ev = dir.appendingPathComponent("explained-variance.json")
        if let s = try? DistilledStudent.load(from: model), let d = try? Foundation.Data(contentsOf: ev),
           let v = try? JSONDecoder().decode([Double].self, from: d) { return (s, v[0]) }
        context.progress("    distilling V=\(config.shape.vocabulary) k=\(config.shape.hidden) L=\(config.shape.layers) (\(config.rankerType.rawValue), \(config.tokenSize) tokens)")
        let r = try distillStudent(config, teacher: teacher, texts: DistillationTexts(training: data.distillationTexts),
                                   options: DistillationOptions(cacheDirectory: cache.root.appendingPathComponent("teacher-embeddings"),
                                                                checkpointDirectory: dir.appendingPathComponent("checkpoint"),
                                                                log: { [context] in context.progress("      \($0)") },
                                                                progress: throttledTrainingProgress { [context] in context.progress("      \($0)") }))
        try r.student.save(to: model)
        try JSONEncoder().encode([r.explainedVariance]).write(to: ev, options: .atomic)
        return (r.student, r.explainedVariance)
    }

    /// Quality (and, with `measured`, cost and int8 quality) of the student of `config`, cached.
    public func result(_ config: DistillConfig, name: String, measured: Bool = false) throws -> ModelResult {
        // `measurement` (absent for unmeasured results, so their keys do not change) re-measures on a new protocol.
        struct Key: Codable { var config: String; var data: String; var measured: Bool; var threads: Int
                              var measurement: Int? }
        return try cache.value(kind: "result", config: Key(config: config.hash, data: dataIdentity, measured: measured,
                                                            threads: context.threads,
                                                            measurement: measured ? measurementProtocol : nil)) {
            let (s, ev) = try student(config)
            context.progress("    evaluating \(name)")
            let q = try evaluateQuality(s, teacherRows: teacherAgreementRows, data: data)
            let q8 = measured ? try evaluateQuality(s, teacherRows: teacherAgreementRows, data: data, int8: true) : nil
            // Sizes and memory only: the tables time every row in turn (`interleavedCosts`).
            let m = measured ? untimedMeasurements(s.model) : nil
            return ModelResult(name: name, quality: q, qualityInt8: q8, measurements: m, vocabulary: s.tokenizer.vocabulary.count,
                               hidden: config.shape.hidden, layers: config.shape.layers, explainedVariance: ev)
        }
    }

    /// The teacher's own quality and cost (the reference row), cached.
    public func teacherResult(type: RankerType) throws -> ModelResult {
        struct Key: Codable { var teacher: String; var data: String; var type: String; var threads: Int
                              var measurement: Int }
        return try cache.value(kind: "teacher-result", config: Key(teacher: teacher.identity, data: dataIdentity,
                                                                    type: type.rawValue, threads: context.threads,
                                                                    measurement: measurementProtocol)) {
            context.progress("    evaluating the teacher")
            let e = try evaluationTeacher
            var q = QualityReport(model: "teacher")
            let t = rowArrays(try teacherAgreementRows)
            q.agreement = QualityEvaluation.agreement(e, texts: try data.agreementTexts, teacher: t, targets: t)
            let r = try QualityEvaluation.rerankDL19(e, task: data.dl19)
            q.dl19NDCG10 = r.ndcg10; q.dl19MRR10 = r.mrr10; q.dl19PerQuery = r.perQuery
            q.scifactNDCG10 = QualityEvaluation.retrieveSciFact(e, task: try data.scifact)
            let m = untimedMeasurements(try teacher.model)   // timed in turn with the students (`interleavedCosts`)
            return ModelResult(name: "teacher", quality: q, qualityInt8: nil, measurements: m,
                               vocabulary: try teacher.tokenizer.vocabulary.count, hidden: try teacher.model.dimension,
                               layers: try teacher.model.encoder.layers.count, explainedVariance: nil)
        }
    }

    /// The ranker type's main quality measure: nDCG@10 on DL19 for the QA ranker, Spearman agreement for the
    /// semantic-similarity ranker.
    public static func mainMeasure(_ q: QualityReport, _ type: RankerType) -> Double {
        type == .questionAnswer ? (q.dl19NDCG10 ?? .nan) : (q.agreement?.spearmanPairwiseCosine ?? .nan)
    }

    /// V*: going down from the largest trained vocabulary, the last one within `vStarTolerance` of the
    /// teacher-vocabulary student (same shape) before the first that is not; nil when the largest is not.
    public func vStar(type: RankerType) throws -> Int? {
        let base = try result(config(vocabulary: .teacher, hidden: plan.sweepHidden, type: type), name: "V=teacher")
        let ref = PaperBPipeline.mainMeasure(base.quality, type)
        var measures: [(size: Int, quality: Double)] = []
        for v in plan.vocabSizes.sorted(by: >) {
            let r = try result(config(vocabulary: .trained(size: v), hidden: plan.sweepHidden, type: type), name: "V=\(v)")
            measures.append((v, PaperBPipeline.mainMeasure(r.quality, type)))
        }
        return Self.knee(measures, reference: ref, tolerance: plan.vStarTolerance)
    }

    /// The V* rule on measured qualities, sizes in any order: the smallest size reached going down from the largest
    /// while every size is within `tolerance` of `reference` (nil when the largest is not).
    static func knee(_ measures: [(size: Int, quality: Double)], reference: Double, tolerance: Double) -> Int? {
        var best: Int?
        for m in measures.sorted(by: { $0.size > $1.size }) {
            guard m.quality >= reference - tolerance else { break }
            best = m.size
        }
        return best
    }
}
