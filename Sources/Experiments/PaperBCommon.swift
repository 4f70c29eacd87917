// The rows Paper B's three tables share (teacher, baseline, + vocabulary, + PCA, + both, per ranker type), and the
// deviations every Paper B result carries.

import Compression
import Report
import Student
import Vocab

struct PaperBRow {
    var label: String
    var config: DistillConfig?        // nil: the teacher
    var result: ModelResult
}

extension PaperBPipeline {
    /// The table rows for one ranker type, computed (or read from the cache) once.
    func tableRows(_ type: RankerType) throws -> (rows: [PaperBRow], vStar: Int?) {
        let teacherHidden = try teacher.model.dimension
        let v = try vStar(type: type)
        let vocab: VocabularyChoice = v.map { .trained(size: $0) } ?? .trained(size: plan.vocabSizes.first!)
        let specs: [(String, VocabularyChoice, Int)] = [
            ("baseline (layer reduction)", .teacher, teacherHidden),
            ("+ vocabulary V*", vocab, teacherHidden),
            ("+ PCA (k = \(plan.compressedHidden))", .teacher, plan.compressedHidden),
            ("+ both", vocab, plan.compressedHidden),
        ]
        let teacherLabel = context.usesSyntheticData ? "teacher (tiny random encoder, smoke)" : "teacher (all-MiniLM-L6-v2)"
        var rows = [PaperBRow(label: teacherLabel, config: nil, result: try teacherResult(type: type))]
        for (label, voc, k) in specs {
            let c = config(vocabulary: voc, hidden: k, type: type)
            rows.append(PaperBRow(label: label, config: c, result: try result(c, name: label, measured: true)))
        }
        // Ours, not the paper's: the "+ PCA" and "+ both" students started from the teacher's last layer(s) seen
        // through the PCA matrix instead of random layers (Docs/Compression.md), where the head sizes allow it.
        for (label, voc) in [("+ PCA, teacher-initialised (ours)", VocabularyChoice.teacher),
                             ("+ both, teacher-initialised (ours)", vocab)] {
            guard let c = try teacherInitialisedConfig(vocabulary: voc, hidden: plan.compressedHidden, type: type) else {
                continue
            }
            rows.append(PaperBRow(label: label, config: c, result: try result(c, name: label, measured: true)))
        }
        // Latency, throughput and CPU-seconds measured interleaved across the rows (replacing each row's own,
        // measured alone), so that the rows' ratios are not ratios of two moments of the shared host.
        let costs = try interleavedCosts(rows, type: type)
        for i in rows.indices { rows[i].result.measurements = rows[i].result.measurements?.withTimings(of: costs[i]) }
        return (rows, v)
    }

    /// Rounds of the interleaved measurements: latency in every round, throughput in the first `throughputRounds`
    /// (2 and 1 at the smoke scale, whose timings test the pipeline only).
    var latencyRounds: Int { context.scale == .smoke ? 2 : 15 }
    var throughputRounds: Int { context.scale == .smoke ? 1 : 5 }

    /// Every row's costs measured in turn (Compression's `interleavedCosts`): batch-1 latency at 52 and 90 tokens,
    /// throughput and CPU-seconds over `plan.measureTexts` texts at the ranker's token size, and each model's peak
    /// memory; cached by the rows' configurations (`memory`: 1 since the panel measures peak memory per model).
    func interleavedCosts(_ rows: [PaperBRow], type: RankerType) throws -> [InterleavedCosts] {
        struct Key: Codable { var rows: [String]; var teacher: String; var data: String; var type: String
                              var threads: Int; var rounds: Int; var throughputRounds: Int; var seconds: Double
                              var texts: Int; var memory: Int }
        let rounds = latencyRounds, seconds = context.scale == .smoke ? 0 : 0.04
        let key = Key(rows: rows.map { $0.config?.hash ?? "teacher" }, teacher: try teacher.identity, data: dataIdentity,
                      type: type.rawValue, threads: context.threads, rounds: rounds, throughputRounds: throughputRounds,
                      seconds: seconds, texts: plan.measureTexts, memory: 1)
        return try cache.value(kind: "cost-panel", config: key) {
            context.progress("    timing \(rows.count) models in turn (\(rounds) rounds of batch-1 latency, "
                             + "\(throughputRounds) of throughput)")
            let models = try rows.map { row -> (model: SentenceEncoder, tokenizer: BertTokenizer) in
                guard let c = row.config else { return (try teacher.model, try teacher.tokenizer) }
                let s = try student(c).0
                return (s.model, s.tokenizer)
            }
            return Compression.interleavedCosts(models, texts: Array(try data.agreementTexts.prefix(plan.measureTexts)),
                                                tokenSize: type.tokenSize, latencyTokenSizes: [52, 90], rounds: rounds,
                                                throughputRounds: throughputRounds, secondsPerTurn: seconds)
        }
    }

    /// The narrow student of `hidden` (and `vocabulary`) whose layers start from the teacher's last layers projected
    /// by the PCA matrix; nil when its heads cannot have the teacher's head size.
    func teacherInitialisedConfig(vocabulary: VocabularyChoice, hidden k: Int, type: RankerType) throws -> DistillConfig? {
        var c = config(vocabulary: vocabulary, hidden: k, type: type)
        let t = try teacher.model.encoder.config
        guard k < t.hiddenSize, k / c.shape.heads == t.hiddenSize / t.numAttentionHeads else { return nil }
        c.settings.projectedTeacherLayers = StudentShape.defaultLayers(keeping: plan.layers, of: t.numHiddenLayers)
        return c
    }
}

enum PaperB {
    static func deviations(_ context: ExperimentContext, plan: PaperBPlan) -> [String] {
        let devSmall = !context.usesSyntheticData && context.dataDirectory.map(CompressionData.hasDevSmall) == true
        var d = [
            "The paper's body (its tables and figures) could not be read: every paper cell is unknown, and the grid is reconstructed from its abstract and the authors' code (digest §2–§4).",
            "Teacher: all-MiniLM-L6-v2 (English, 6 layers, hidden 384, vocabulary 30,522) instead of the authors' multilingual / MS MARCO teachers.",
            "Distillation texts: up to \(plan.distillationLimit) texts sampled from the TREC DL 2020 passages, the Cranfield, Vaswani and SciFact documents\(devSmall ? " and MS MARCO dev-small's queries, judged passages and BM25 top-20 candidates (no DL19 passage)" : "") (never a test query); \(plan.settings.maxSteps.map(String.init) ?? "one epoch of") updates of batch \(plan.settings.batchSize), on 2 CPU cores — far less than sentence-transformers' usual runs.",
            "Students have \(plan.layers) layer(s); narrow students (hidden k < 384) start with random layers and PCA-projected embeddings, and their last LayerNorm starts at the targets' mean and std (ours). The rows \"+ PCA, teacher-initialised (ours)\" and \"+ both, teacher-initialised (ours)\" are not in the paper: the same students with their layer started from the teacher's last layer seen through the PCA matrix (kept heads and neurons chosen by weight, Docs/Compression.md).",
        ]
        if context.usesSyntheticData { d.insert(context.banner, at: 0) }
        return d
    }
}

extension RankerType {
    var title: String { self == .questionAnswer ? "question–answer ranker (token size 90)" : "semantic-similarity ranker (token size 52)" }
}
