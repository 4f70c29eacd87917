// `reproduce train`: step 1 or 3 of the Margin-MSE workflow from the command line — train any ranker architecture
// on TREC DL triples with a pairwise loss (RankNet without a teacher; Margin-MSE and the others against a teacher
// score file), validate on held-out queries, save the best model, and report re-ranking effectiveness on a test year
// beside BM25's.

import Foundation
import Tensors
import Student
import Vocab
import Eval
import Corpus
import MarginMSE
import Training

/// Options shared by `train` and `teacher-scores`: where the data is and how the triples are sampled (both commands
/// must sample the same triples, so they share these options and their defaults).
let tripleOptions: [OptionSpec] = [
    .option("data", value: "DIR", help: "Data directory (default: $RANKER_DATA, ../shared/data, the fetch cache)"),
    .option("train-set", value: "NAME", help: "Queries that give the triples: dev-small (MS MARCO) or a TREC DL year", default: "dl20"),
    .option("titled", value: "RULE", help: "dev-small rows with a title: drop, keep or both-sides (titled texts among the negatives too)",
            default: DevSmallSampling().titled.rawValue),
    .option("negatives-per-positive", value: "N", help: "Sampled BM25 negatives per judged positive (dev-small: per query)", default: "4", rule: .int(atLeast: 1)),
    .option("validation-queries", value: "N", help: "Training queries held out for validation (default: 6 of a TREC DL year, 100 of dev-small)", rule: .int(atLeast: 0)),
    .option("triple-seed", value: "N", help: "Seed of the triple sampling", default: "208973249", rule: .int(atLeast: 0)),
    .option("model", value: "DIR", help: "Pre-trained encoder (Hugging Face folder)", default: "../shared/models/all-MiniLM-L6-v2"),
]

struct TripleContext {
    var data: DistillationData
    /// The training queries' name ("dl20", "dev-small").
    var trainName: String
    /// A line about how the triples were made (dev-small: where the negatives came from).
    var summary: String?
    var dataDirectory: String
    var tokenizer: BertTokenizer
    var modelFolder: URL
}

func loadTripleContext(_ args: ParsedArguments, command: String) throws -> TripleContext {
    guard let titled = TitledRows(rawValue: args.string("titled") ?? DevSmallSampling().titled.rawValue) else {   // checked before any work
        throw CLIError("\(command): --titled takes \(TitledRows.allCases.map(\.rawValue).joined(separator: ", ")), not '\(args.string("titled")!)'")
    }
    guard let dir = try DataDirectory.resolve(explicit: args.string("data")) else {
        throw CLIError("\(command): no data directory found (give --data DIR)", kind: .failure)
    }
    let model = URL(fileURLWithPath: try args.string(defaulted: "model"))
    let folder = try HuggingFaceFolder.load(model)
    let tokenizer = try BertTokenizer(vocabFile: folder.vocabURL.path)
    let trainSet = try args.string(defaulted: "train-set")
    let seed = UInt64(try args.int(defaulted: "triple-seed"))
    if trainSet == "dev-small" {
        let sampling = DevSmallSampling(titled: titled, negativesPerQuery: try args.int(defaulted: "negatives-per-positive"),
                                        validationQueries: try args.int("validation-queries") ?? 100, seed: seed)
        // No passage of either test collection may become a negative.
        var test = Set<String>()
        for year in ["dl19", "dl20"] { test.formUnion(try RerankingData.trecDL(year, dataDirectory: dir).passages.keys) }
        let (data, s) = DistillationData.devSmall(try DevSmallData.load(dataDirectory: dir), testPassages: test,
                                                  tokenizer: tokenizer, sampling: sampling)
        let summary = "dev-small (titled rows: \(titled.rawValue)): \(s.trainingQueries) training queries (negatives from the file's BM25 top 20: \(s.fileNegativeQueries), from our BM25 over a pool of \(s.poolPassages) passages: \(s.poolNegativeQueries)\(titled == .bothSides ? ", \(s.titledNegatives) titled negatives" : "")), \(s.validationQueries) held out; left out: \(s.droppedTestPositive) with a test-collection positive, \(s.droppedTitled) titled, \(s.droppedValidationPositive) with a validation positive, \(s.droppedNoNegative) without negatives"
        return TripleContext(data: data, trainName: trainSet, summary: summary, dataDirectory: dir, tokenizer: tokenizer,
                             modelFolder: model)
    }
    let train = try RerankingData.trecDL(trainSet, dataDirectory: dir)
    let sampling = TripleSampling(negativesPerPositive: try args.int(defaulted: "negatives-per-positive"),
                                  validationQueries: try args.int("validation-queries") ?? 6, seed: seed)
    return TripleContext(data: DistillationData.make(train, tokenizer: tokenizer, sampling: sampling), trainName: train.name,
                         summary: nil, dataDirectory: dir, tokenizer: tokenizer, modelFolder: model)
}

func parseLayers(_ s: String, command: String) throws -> [Int] {
    let v = s.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !v.isEmpty, v.allSatisfy({ $0 != nil && $0! >= 0 }) else {
        throw CLIError("\(command): --layers needs comma-separated layer indices, e.g. 0,5; got '\(s)'")
    }
    return v.map { $0! }
}

public struct TrainCommand: Command {
    public init() {}
    public let path = ["train"]
    public let summary = "Train a ranker on TREC DL triples (RankNet, Margin-MSE, …)"
    public let usage = """
        Usage: reproduce train --arch NAME --loss NAME [--teacher-scores FILE] [--out DIR] [OPTIONS]

        Builds training triples from the --train-set: a TREC DL year (p+ judged >= 2, p- from the BM25 top-100 judged 0
        or unjudged) or dev-small (6,980 real MS MARCO queries: p+ the judged passage, p- from the query's
        full-collection BM25 top 20 where known, else from our BM25 over a pool of the other queries' passages; no
        passage of the DL19/DL20 collections; --titled says what to do with positives that carry a title), trains a ranker of architecture NAME cut from the encoder's --layers with the pairwise loss NAME,
        validates by nDCG@10 on held-out queries every --validate-every steps (early stopping, best checkpoint;
        dev-small: re-ranking the BM25 top 20 of held-out queries),
        saves the best model to --out, writes per-step logs (loss, average positive and negative score) to
        --out/steps.tsv, and prints the validation curve and nDCG@10 / MRR@10 / R@100 of re-ranking each --test-set BM25 top-100 beside
        BM25.
        Losses other than ranknet need --teacher-scores (written by 'reproduce teacher-scores' with the same triple
        options). A killed run resumes from --checkpoint-dir when started again with the same options.
        Architectures: \(RankerRegistry.entries.map(\.architecture).joined(separator: ", ")).
        Losses: \(PairwiseLoss.allCases.map(\.rawValue).joined(separator: ", ")).
        """
    public let options: [OptionSpec] = [
        .option("arch", value: "NAME", help: "Ranker architecture", default: "bert-dot"),
        .option("loss", value: "NAME", help: "Pairwise loss", default: "margin-mse"),
        .option("teacher-scores", value: "FILE", help: "Teacher score file (pos<TAB>neg<TAB>qid<TAB>pos_pid<TAB>neg_pid)"),
        .option("layers", value: "LIST", help: "Encoder layers kept, e.g. 0,5", default: "0,5", rule: .intList(0...Int.max)),
        .option("test-set", value: "LIST", help: "TREC DL years to evaluate on, e.g. dl19,dl20", default: "dl19"),
        .option("steps", value: "N", help: "Training steps (batches)", default: "200", rule: .int(atLeast: 1)),
        .option("batch-size", value: "N", help: "Triples per batch", default: "32", rule: .int(atLeast: 1)),
        .option("lr", value: "X", help: "Peak learning rate (AdamW)", default: "3e-5", rule: .number(atLeast: 0, exclusive: true)),
        .option("warmup", value: "N", help: "Linear warm-up steps", default: "20", rule: .int(atLeast: 0)),
        .option("weight-decay", value: "X", help: "AdamW decoupled weight decay", default: "0", rule: .number(atLeast: 0)),
        .option("validate-every", value: "N", help: "Validate every N steps (0: never)", default: "50", rule: .int(atLeast: 0)),
        .option("patience", value: "N", help: "Stop after N validations without improvement (0: never)", default: "0", rule: .int(atLeast: 0)),
        .option("depth", value: "N", help: "Candidates re-ranked per query", default: "100", rule: .int(atLeast: 1)),
        .option("max-query-length", value: "N", help: "Query word pieces", default: "30", rule: .int(1...509)),
        .option("max-passage-length", value: "N", help: "Passage word pieces", default: "200", rule: .int(1...509)),
        .option("seed", value: "N", help: "Seed (head init, data order, dropout)", default: "1", rule: .int(atLeast: 0)),
        .option("checkpoint-dir", value: "DIR", help: "Checkpoints (resumes a killed run)"),
        .option("out", value: "DIR", help: "Saved best model and logs"),
        .option("time-budget", value: "SECONDS", help: "Stop (resumably) after this long", rule: .number(atLeast: 0, exclusive: true)),
        .option("token-budget", value: "N", help: "Padded tokens per length group (default 512; changes the trained digits)", rule: .int(atLeast: 1)),
        .flag("packed-tokens", help: "Train the encoder on real tokens only (TransformerEncoder.packedTokens; changes the trained digits)"),
    ] + tripleOptions

    public func run(_ args: ParsedArguments, console: Console) throws {
        let name = "reproduce train"
        let arch = try args.string(defaulted: "arch")
        guard RankerRegistry.entries.contains(where: { $0.architecture == arch }) else {
            throw CLIError("\(name): unknown --arch '\(arch)'; known: \(RankerRegistry.entries.map(\.architecture).joined(separator: ", "))")
        }
        guard let loss = PairwiseLoss(rawValue: try args.string(defaulted: "loss")) else {
            throw CLIError("\(name): unknown --loss '\(args.string("loss")!)'; known: \(PairwiseLoss.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if loss.needsTeacher && args.string("teacher-scores") == nil {
            throw CLIError("\(name): --loss \(loss.rawValue) needs --teacher-scores FILE (see 'reproduce teacher-scores')")
        }
        let layers = try parseLayers(try args.string(defaulted: "layers"), command: name)
        let steps = try args.int(defaulted: "steps")
        let loop = TrainingLoopConfig(totalSteps: steps, learningRate: Float(try args.double(defaulted: "lr")),
                                      warmupSteps: try args.int(defaulted: "warmup"),
                                      adam: AdamConfig(weightDecay: Float(try args.double(defaulted: "weight-decay"))),
                                      validateEvery: try args.int(defaulted: "validate-every"),
                                      patience: try args.int(defaulted: "patience"),
                                      checkpointEvery: args.string("checkpoint-dir") == nil ? 0 : max(1, min(50, steps)),
                                      seed: UInt64(try args.int(defaulted: "seed")))
        let limits = InputLimits(maxQueryLength: try args.int(defaulted: "max-query-length"),
                                 maxPassageLength: try args.int(defaulted: "max-passage-length"))
        let config = StudentConfig(architecture: arch, keepLayers: layers, seed: UInt64(try args.int(defaulted: "seed")),
                                   limits: limits,
                                   training: PairwiseTrainingConfig(loss: loss, batchSize: try args.int(defaulted: "batch-size"),
                                                                    loop: loop, tokenBudget: try args.int("token-budget"),
                                                                    packedTokens: args.flag("packed-tokens") ? true : nil),
                                   validationDepth: try args.int(defaulted: "depth"))
        let ctx: TripleContext
        do { ctx = try loadTripleContext(args, command: name) } catch let e as CLIError { throw e } catch {
            throw CLIError("\(name): \(error)", kind: .failure)
        }
        var scores: [TeacherScore]?
        if let f = args.string("teacher-scores"), loss.needsTeacher {
            scores = try TeacherScoreFile.read(URL(fileURLWithPath: f))
        }
        let encoder = try TransformerEncoder.load(ctx.modelFolder)
        if let bad = layers.first(where: { $0 >= encoder.layers.count }) {
            throw CLIError("\(name): --layers names layer \(bad), but \(ctx.modelFolder.path) has \(encoder.layers.count) layers (0–\(encoder.layers.count - 1))")
        }
        let positions = encoder.config.maxPositionEmbeddings
        if limits.maxQueryLength + limits.maxPassageLength + 3 > positions {
            throw CLIError("\(name): --max-query-length + --max-passage-length + 3 special tokens must fit the model's \(positions) positions, got \(limits.maxQueryLength) + \(limits.maxPassageLength) + 3")
        }
        if let summary = ctx.summary { console.err("train: \(summary)\n") }
        console.err("train: \(arch) layers \(layers), loss \(loss.rawValue), \(ctx.data.triples.triples.count) triples from \(ctx.data.triples.trainingQueries.count) \(ctx.trainName) queries, \(ctx.data.triples.validationQueries.count) held out\n")
        let control = RunControl(checkpointDirectory: args.string("checkpoint-dir").map { URL(fileURLWithPath: $0) },
                                 timeBudgetSeconds: try args.double("time-budget"),
                                 progress: { console.err("\r" + $0.line + "   ") })
        let (model, result) = try trainStudent(config, encoder: encoder, scores: scores, data: ctx.data, control: control)
        console.err("\n")
        if let out = args.string("out").map({ URL(fileURLWithPath: $0) }) {
            try model.save(to: out)
            try writeStepLog(result.state, to: out.appendingPathComponent("steps.tsv"))
            try? FileManager.default.copyItem(at: ctx.modelFolder.appendingPathComponent("vocab.txt"),
                                              to: out.appendingPathComponent("vocab.txt"))
        }
        let depth = config.validationDepth
        var lines = ["best validation nDCG@10: \(result.state.bestScore.map { fmt4($0) } ?? "–") at step \(result.state.bestStep.map(String.init) ?? "–"); steps run: \(result.state.step)\(result.state.stoppedEarly ? " (early stop)" : "")"]
        let validations = result.state.validations.map { "\($0.step): \(fmt4($0.score))" }
        if !validations.isEmpty {
            let bm25 = RerankingEvaluation.scores(ctx.data.validation.candidates, qrels: ctx.data.validation.qrels).ndcg10
            lines.append("validation nDCG@10 by step: " + validations.joined(separator: ", ") + " (BM25's order: \(fmt4(bm25)))")
        }
        for year in (try args.string(defaulted: "test-set")).split(separator: ",").map(String.init) {
            let test = try RerankingData.trecDL(year, dataDirectory: ctx.dataDirectory)
            let texts = test.tokenized(ctx.tokenizer)
            let bm25 = RerankingEvaluation.scores(test.candidates, qrels: test.qrels)
            let mine = RerankingEvaluation.scores(try RerankingEvaluation.rerank(model, data: test, texts: texts, depth: depth),
                                                  qrels: test.qrels)
            lines.append("\(test.name) re-ranking BM25 top-\(depth) (\(mine.queries) queries)   nDCG@10  MRR@10(l=2)  R@100(l=2)")
            lines.append("  BM25                               \(fmt4(bm25.ndcg10))   \(fmt4(bm25.mrr10))       \(fmt4(bm25.recall100))")
            lines.append("  \(arch) \(loss.rawValue)".padding(toLength: 37, withPad: " ", startingAt: 0)
                         + "\(fmt4(mine.ndcg10))   \(fmt4(mine.mrr10))       \(fmt4(mine.recall100))")
        }
        console.out(lines.joined(separator: "\n") + "\n")
    }
}

func fmt4(_ x: Double) -> String { String(format: "%.4f", x) }

/// Per-step log: step, learning rate, loss, average positive and negative score (the score-range figure's data).
func writeStepLog(_ s: TrainingState, to url: URL) throws {
    var t = "step\tlr\tloss\tpos_avg\tneg_avg\n"
    for r in s.steps {
        t += "\(r.step)\t\(r.learningRate)\t\(r.loss)\t\(r.metrics["pos_avg"] ?? .nan)\t\(r.metrics["neg_avg"] ?? .nan)\n"
    }
    try Data(t.utf8).write(to: url, options: .atomic)
}
