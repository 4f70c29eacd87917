// `reproduce distill`: distil one student of the compression grid (Chaulwar et al. 2022: vocabulary V, PCA width k,
// depth L) from the teacher on unlabelled text, save it as a sentence-transformers folder, and optionally measure
// its quality (teacher agreement, DL19 re-ranking, SciFact) and efficiency, fp32 and int8. See Docs/Compression.md.

import Foundation
import Compression
import Corpus
import Student
import Eval

public struct DistillCommand: Command {
    public init() {}
    public let path = ["distill"]
    public let summary = "Distil a small sentence-encoder student (vocabulary, PCA width, layers)"
    public let usage = """
        Usage: reproduce distill --vocab teacher|V --dim K --layers L [--ranker qa|semantic] [--out DIR]
                                 [--texts FILE | --data DIR] [--limit N] [--steps N] [--evaluate] …

        Distils a student of hidden size K (= embedding size; K < the teacher's 384 means PCA targets, y = W·t,
        uncentred), L layers and the teacher's vocabulary or a WordPiece vocabulary of V tokens (e.g. 8000 or 8k)
        trained on the distillation texts, with sentence-transformers' MSE objective. The texts are FILE (one per
        line), or else the DL20 passages and the Cranfield, Vaswani and SciFact documents of the data directory
        (never a test query). --evaluate reports teacher agreement on DL19 passages, nDCG@10/MRR@10 re-ranking the
        DL19 BM25 top-100, SciFact nDCG@10, size, int8 size and latency, for the student and its int8 copy.
        """
    public let options: [OptionSpec] = [
        .option("vocab", value: "teacher|V", help: "The teacher's vocabulary or a trained one of V tokens", default: "teacher"),
        .option("dim", value: "K", help: "Student hidden size = embedding size (PCA target when < 384)", default: "128", rule: .int(atLeast: 1)),
        .option("layers", value: "L", help: "Student transformer layers", default: "1", rule: .int(atLeast: 1)),
        .option("ranker", value: "qa|semantic", help: "Ranker type: qa (token size 90) or semantic (52)", default: "qa", rule: .choice(["qa", "semantic"])),
        .option("token-size", value: "N", help: "Word pieces the student reads (default: the ranker type's)", rule: .int(2...Int.max)),
        .option("teacher", value: "DIR", help: "Teacher folder", default: "../shared/models/all-MiniLM-L6-v2"),
        .option("texts", value: "FILE", help: "Distillation texts, one per line (instead of the data directory)"),
        .option("data", value: "DIR", help: "Data directory (default: RANKER_DATA, ../shared/data, the cache)"),
        .option("limit", value: "N", help: "Use at most N distillation texts (a seeded sample)", rule: .int(atLeast: 1)),
        .option("steps", value: "N", help: "Stop after N updates", rule: .int(atLeast: 1)),
        .option("epochs", value: "N", help: "Passes over the texts", default: "1", rule: .int(atLeast: 1)),
        .option("batch-size", value: "N", help: "Texts per update", default: "64", rule: .int(atLeast: 1)),
        .option("lr", value: "X", help: "Peak learning rate (warm-up 10%, linear decay)", default: "1e-4", rule: .number(atLeast: 0, exclusive: true)),
        .option("seed", value: "N", help: "Seed", default: "42", rule: .int(atLeast: 0)),
        .option("time-budget", value: "S", help: "Stop training after S seconds (resumable with --checkpoint)", rule: .number(atLeast: 0, exclusive: true)),
        .option("out", value: "DIR", help: "Save the student here (sentence-transformers layout)"),
        .option("cache", value: "DIR", help: "Cache teacher embeddings here", default: ".build/compression-cache"),
        .option("checkpoint", value: "DIR", help: "Training checkpoint directory (resume after a kill)"),
        .flag("bert-init", help: "Narrow student: keep BERT's γ=1, β=0 in the last LayerNorm (default: targets' std/mean)"),
        .option("project-teacher-layers", value: "I,J,…",
                help: "Narrow student: start layer i from teacher layer I, J, … seen through the PCA matrix (ours; "
                    + "default: random layers)", rule: .intList(0...Int.max)),
        .flag("teacher-quality", help: "With --evaluate: also the teacher and teacher+PCA head on DL19 (and BM25)"),
        .flag("evaluate", help: "Measure quality and efficiency (needs the data directory)"),
        .option("agreement", value: "N", help: "Texts in the agreement sample", default: "1000", rule: .int(atLeast: 1)),
    ]

    public func run(_ args: ParsedArguments, console: Console) throws {
        let name = "reproduce distill"
        guard let vocab = VocabularyChoice(parsing: try args.string(defaulted: "vocab")) else {
            throw CLIError("\(name): --vocab must be 'teacher' or a size such as 8000 or 8k")
        }
        let dim = try args.int(defaulted: "dim"), layers = try args.int(defaulted: "layers")
        guard let ranker = RankerType(rawValue: try args.string(defaulted: "ranker")) else {
            throw CLIError("\(name): --ranker must be qa or semantic")
        }
        var s = DistillationSettings()
        s.epochs = try args.int(defaulted: "epochs")
        s.batchSize = try args.int(defaulted: "batch-size")
        s.learningRate = Float(try args.double(defaulted: "lr"))
        s.seed = UInt64(max(0, try args.int(defaulted: "seed")))
        s.maxSteps = try args.int("steps")
        s.outputNormFromTargets = !args.flag("bert-init")
        if let text = args.string("project-teacher-layers") {
            let items = text.split(separator: ",")
            let indices = items.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 >= 0 }
            guard indices.count == items.count, indices.count == layers else {
                throw CLIError("\(name): --project-teacher-layers takes \(layers) teacher layer indices (0-based, e.g. 5 or 2,5), "
                               + "one per student layer, for a narrow student (--dim below the teacher's width)")
            }
            s.projectedTeacherLayers = indices
        }
        if let out = args.string("out") { _ = try checkedOutput(out, option: "out", folder: true, command: name) }
        let config = DistillConfig(shape: StudentShape(vocabulary: vocab, hidden: dim, layers: layers),
                                   rankerType: ranker, tokenSize: try args.int("token-size"), settings: s)

        let teacher: Teacher
        let teacherDir = URL(fileURLWithPath: args.string("teacher") ?? "")
        do { teacher = try Teacher.load(teacherDir) } catch {
            throw CLIError("\(name): cannot load the teacher in \(teacherDir.path): \(error)", kind: .failure)
        }
        let positions = teacher.model.encoder.config.maxPositionEmbeddings
        guard config.tokenSize <= positions else {
            throw CLIError("\(name): --token-size \(config.tokenSize) exceeds the teacher's \(positions) positions (\(teacherDir.path)/config.json)")
        }
        guard dim <= teacher.model.dimension else {
            throw CLIError("\(name): --dim \(dim) exceeds the teacher's embedding size \(teacher.model.dimension)")
        }
        let evaluate = args.flag("evaluate")
        var data: CompressionData? = nil
        var texts: [String]
        if evaluate || args.string("texts") == nil {
            guard let root = try DataDirectory.resolve(explicit: args.string("data")) else {
                throw CLIError("\(name): no data directory (give --data, set RANKER_DATA, or run 'reproduce fetch')", kind: .failure)
            }
            data = try CompressionData.load(root: root, distillationLimit: try args.int("limit"),
                                            agreementSample: try args.int(defaulted: "agreement"))
        }
        if let file = args.string("texts") {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw CLIError("\(name): cannot read --texts \(file)", kind: .failure)
            }
            texts = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
            if let m = try args.int("limit") { texts = Array(texts.prefix(m)) }
        } else {
            texts = data?.distillationTexts ?? []
        }
        guard !texts.isEmpty else { throw CLIError("\(name): no distillation texts", kind: .failure) }

        console.err("distill \(config.hash): V=\(vocab) k=\(dim) L=\(layers) \(ranker.rawValue) token size \(config.tokenSize), \(texts.count) texts\n")
        let options = DistillationOptions(
            cacheDirectory: args.string("cache").map { URL(fileURLWithPath: $0) },
            checkpointDirectory: args.string("checkpoint").map { URL(fileURLWithPath: $0) },
            timeBudgetSeconds: try args.double("time-budget"),
            log: { console.err("  \($0)\n") },
            progress: { console.err("  \($0.line)\n") })
        let started = Date()
        let result = try distillStudent(config, teacher: teacher, texts: DistillationTexts(training: texts), options: options)
        let student = result.student
        let size = modelSize(student.model)
        let losses = result.log.losses
        var lines = [
            "config \(config.hash)",
            "student: vocab \(student.tokenizer.vocabulary.count), hidden \(dim), layers \(layers), heads \(config.shape.heads)",
            String(format: "parameters %d, %.2f MB fp32, %.2f MB int8", size.parameters, size.fp32MB, size.int8MB),
            String(format: "PCA explained variance %.4f", result.explainedVariance),
            String(format: "updates %d in %.0f s; loss %.6f → %.6f%@", losses.count, Date().timeIntervalSince(started),
                   losses.first ?? 0, losses.last ?? 0, result.log.outOfTime ? " (out of time: resume with --checkpoint)" : ""),
        ]
        if let out = args.string("out") {
            try student.save(to: URL(fileURLWithPath: out))
            lines.append("saved \(out)")
        }
        console.out(lines.joined(separator: "\n") + "\n")
        if evaluate, let data {
            if args.flag("teacher-quality") { try teacherReport(student: student, teacher: teacher, data: data, console: console) }
            try report(student: student, teacher: teacher, data: data, cache: options.cacheDirectory, console: console)
        }
    }

    /// BM25 itself, the teacher and the teacher with the student's PCA head, re-ranking DL19 (no SciFact: the teacher
    /// over 5,183 abstracts takes long on 2 cores).
    private func teacherReport(student: DistilledStudent, teacher: Teacher, data: CompressionData, console: Console) throws {
        let bm25 = TrecEval.evaluate(qrels: data.dl19.qrels, run: data.dl19.candidates, measures: [Measure.ndcgCut(10)])
        console.out(String(format: "BM25: DL19 nDCG@10 %.4f\n", bm25.value(Measure.ndcgCut(10)) ?? 0))
        var embedders = [TextEmbedder.teacher(teacher)]
        if let pca = student.pca { embedders.append(.teacherWithPCA(teacher, pca: pca, k: student.dimension)) }
        for e in embedders {
            let r = try QualityEvaluation.rerankDL19(e, task: data.dl19)
            console.out(String(format: "%@: DL19 nDCG@10 %.4f, MRR@10(l=2) %.4f\n", e.name, r.ndcg10, r.mrr10))
        }
    }

    private func report(student: DistilledStudent, teacher: Teacher, data: CompressionData, cache: URL?,
                        console: Console) throws {
        console.err("  evaluating (agreement on \(data.agreementTexts.count) DL19 passages, DL19, SciFact)\n")
        let teacherRows = try TeacherEmbeddingCache.embeddings(teacher: teacher, texts: data.agreementTexts,
                                                              maxLength: student.config.settings.teacherMaxLength,
                                                              directory: cache)
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        for int8 in [false, true] {
            let q = try evaluateQuality(student, teacherRows: teacherRows, data: data, int8: int8)
            func f(_ x: Double?) -> String { x.map { String(format: "%.4f", $0) } ?? "–" }
            console.out("\(q.model): DL19 nDCG@10 \(f(q.dl19NDCG10)), MRR@10(l=2) \(f(q.dl19MRR10)), SciFact nDCG@10 \(f(q.scifactNDCG10)), "
                        + "agreement ρ \(f(q.agreement?.spearmanPairwiseCosine)), top-10 overlap \(f(q.agreement?.topTenOverlap)), "
                        + "MSE×100 \(f(q.agreement?.mseTimes100))\n")
        }
        let sample = Array(data.agreementTexts.prefix(256))
        // Latency and throughput of the two timed in turn (10 rounds; 3 of throughput), so that the ratios below
        // compare one state of a shared host, not two (Docs/Compression.md), and peak memory (the weights and what
        // encoding holds at once, `peakMemoryMB`); the sizes are counted (`untimedMeasurements`), since the turns
        // replace every cost a model timed alone would have.
        let turns = interleavedCosts([(teacher.model, teacher.tokenizer), (student.model, student.tokenizer)],
                                     texts: sample, tokenSize: student.tokenSize, latencyTokenSizes: [52, 90],
                                     rounds: 10, throughputRounds: 3, secondsPerTurn: 0.04)
        let t = untimedMeasurements(teacher.model).withTimings(of: turns[0])
        let m = untimedMeasurements(student.model).withTimings(of: turns[1])
        console.out("student efficiency " + String(data: try enc.encode(m), encoding: .utf8)! + "\n")
        console.out("teacher efficiency " + String(data: try enc.encode(t), encoding: .utf8)! + "\n")
        func ratio(_ a: Double?, _ b: Double?) -> String {
            guard let a, let b, b > 0 else { return "–" }
            return String(format: "%.1f×", a / b)
        }
        console.out("teacher/student: size \(ratio(t.sizeMBFP32, m.sizeMBFP32)) (int8 student: \(ratio(t.sizeMBFP32, m.sizeMBInt8))), "
                    + "latency@52 \(ratio(t.latency52, m.latency52)), latency@90 \(ratio(t.latency90, m.latency90)), "
                    + "throughput \(ratio(m.throughput, t.throughput)), peak memory \(ratio(t.peakResidentMB, m.peakResidentMB))\n")
    }
}
