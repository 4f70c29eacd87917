// The reproduction commands: `reproduce` (everything at the default scale), `reproduce list`, `reproduce paper-a`,
// `reproduce paper-b`, `reproduce table NAME`, `reproduce figure NAME`. They share the options below.

import Foundation
import Corpus
import Experiments
import MarginMSE
import Student
import Tensors

/// Options every reproduction command takes.
let reproductionOptions: [OptionSpec] = [
    .option("scale", value: "NAME", help: "smoke | default | full", default: "default"),
    .option("data", value: "DIR", help: "Data directory (else $RANKER_DATA, ../shared/data, the fetch cache)"),
    .option("model", value: "DIR", help: "Teacher sentence-transformers folder (else <data>/../models/all-MiniLM-L6-v2); "
                + "with --scale full, the students' Hugging Face BERT folder (else <data>/models/bert-base-uncased)"),
    // No parsed default: the default depends on --seed and --minilm-teacher (see makeContext).
    .option("out", value: "DIR",
            help: "Where tables, figures and index.html go (default: paper-figures; with --scale full: paper-figures/full-scale; with another --seed N: "
                + "paper-figures/seed-N; with --minilm-teacher: .../minilm-teacher; with --budget long: .../long-budget)"),
    .option("cache", value: "DIR", help: "Cache of intermediate results (teachers, scores, students)", default: ".reproduce-cache"),
    .option("seed", value: "N",
            help: "Seed of Paper A's students (initialisation, data order, dropout) and Paper B's text samples (teachers and "
                + "training triples keep their fixed seeds): another seed is a replicate, with its own cache entries",
            default: "\(ExperimentContext.defaultSeed)", rule: .int(atLeast: 0)),
    .option("threads", value: "N", help: "Worker threads for the kernels (default: all cores)", rule: .int(1...1024)),
    .option("budget", value: "NAME",
            help: "Paper A's training budget: default (the hour a default run may take on 2 cores) or long (teachers 400 "
                + "steps, students 120: several hours); long writes beside the default outputs",
            default: PaperABudget.standard.rawValue, rule: .choice(PaperABudget.allCases.map(\.rawValue))),
    .option("student", value: "NAME,…",
            help: "Paper A: also train these registered architectures (RankerRegistry.register; see Docs/AddingARanker.md) "
                + "beside the paper's students, 2 layers each, every regime; writes to .../students-NAME"),
    .flag("minilm-teacher",
          help: "Paper A with a fourth teacher: every student also distilled from all-MiniLM-L6-v2 itself (cosine, z-normalised), "
              + "a teacher stronger than the students, which T1 and T2 are not here, as is and with its margins scaled to the "
              + "student's own; not one of the paper's teachers. Reuses the standard run's cache (~20 min more); output "
              + "defaults to paper-figures/minilm-teacher"),
]

/// `paper-figures`, `paper-figures/seed-2021`, `paper-figures/minilm-teacher`, `paper-figures/seed-2021/minilm-teacher`.
func defaultOutput(seed: UInt64, miniLMTeacher: Bool = false, budget: PaperABudget = .standard, students: [String] = []) -> String {
    "paper-figures" + (seed == ExperimentContext.defaultSeed ? "" : "/seed-\(seed)") + (miniLMTeacher ? "/minilm-teacher" : "")
        + (budget == .standard ? "" : "/\(budget.rawValue)-budget")
        + (students.isEmpty ? "" : "/students-" + students.joined(separator: "+"))
}

func makeContext(_ args: ParsedArguments, command: String, console: Console) throws -> ExperimentContext {
    guard let scale = Scale(rawValue: try args.string(defaulted: "scale")) else {
        throw CLIError("\(command): --scale must be one of smoke, default, full; got '\(args.string("scale") ?? "")'")
    }
    let data: String?
    do { data = try DataDirectory.resolve(explicit: args.string("data")) } catch {
        throw CLIError("\(command): \(error)")
    }
    if scale == .full {
        throw CLIError("\(command): --scale full is built for Paper A's Table C: run 'reproduce paper-a --scale full' "
                       + "(Docs/Paper-MarginMSE.md, \"The full scale\")")
    }
    var model = args.string("model")
    if model == nil, let d = data {
        let candidate = ((d as NSString).deletingLastPathComponent as NSString).appendingPathComponent("models/all-MiniLM-L6-v2")
        if FileManager.default.fileExists(atPath: candidate + "/config.json") { model = candidate }
    }
    let threads = try args.int("threads") ?? ProcessInfo.processInfo.activeProcessorCount
    Kernels.threadCount = threads
    guard let seedText = args.string("seed"), let seed = UInt64(seedText) else {
        throw CLIError("\(command): --seed expects a non-negative whole number")
    }
    let budget = PaperABudget(rawValue: args.string("budget") ?? "") ?? .standard   // checked by the option's rule
    let students = (args.string("student") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    let known = RankerRegistry.entries.map(\.architecture)
    for s in students where !known.contains(s) {
        throw CLIError("\(command): --student '\(s)' is not a registered architecture (known: \(known.joined(separator: ", "))); "
                       + "register it with RankerRegistry.register in your own executable (Docs/AddingARanker.md)")
    }
    for s in students where RankerRegistry.builtIn.contains(where: { $0.architecture == s }) {
        throw CLIError("\(command): --student '\(s)' is one of the paper's architectures, already in the grid")
    }
    let hasRealData = scale != .smoke && data != nil
    let context = ExperimentContext(
        scale: scale, dataDirectory: hasRealData ? data : nil, modelDirectory: model,
        // Other seeds and the MiniLM teacher write beside the committed outputs, not over them.
        outputDirectory: URL(fileURLWithPath: args.string("out")
                             ?? defaultOutput(seed: seed, miniLMTeacher: args.flag("minilm-teacher"), budget: budget,
                                              students: students)),
        cacheDirectory: URL(fileURLWithPath: try args.string(defaulted: "cache")),
        seed: seed, threads: threads, paperAMiniLMTeacher: args.flag("minilm-teacher"), paperABudget: budget,
        paperAStudents: students,
        progress: { console.err($0 + "\n") })
    if scale == .default && data == nil {
        console.err("""
            reproduce: no real data found (looked in --data, $RANKER_DATA, ../shared/data and the fetch cache).
            Running the SMOKE data instead; every output carries a banner saying so. To get the data, see
            data-manifests/ and 'reproduce fetch --help'.

            """)
    }
    return context
}

func runExperiments(_ experiments: [Experiment], _ args: ParsedArguments, command: String, console: Console) throws {
    guard !experiments.isEmpty else { throw CLIError("\(command): nothing matches; see 'reproduce list'") }
    let context = try makeContext(args, command: command, console: console)
    if context.paperAMiniLMTeacher, let other = experiments.first(where: { $0.paper != .marginMSE }) {
        throw CLIError("\(command): --minilm-teacher applies to Paper A only, and \(other.id) is Paper B's; "
                       + "run 'reproduce paper-a --minilm-teacher'")
    }
    if !context.paperAStudents.isEmpty, let other = experiments.first(where: { $0.paper != .marginMSE }) {
        throw CLIError("\(command): --student applies to Paper A only, and \(other.id) is Paper B's; run 'reproduce paper-a --student \(context.paperAStudents.joined(separator: ","))'")
    }
    if context.paperABudget != .standard, let other = experiments.first(where: { $0.paper != .marginMSE }) {
        throw CLIError("\(command): --budget applies to Paper A only, and \(other.id) is Paper B's; run 'reproduce paper-a --budget \(context.paperABudget.rawValue)'")
    }
    let invocation = (["reproduce"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
    let lock: CacheLock
    do { lock = try CacheLock(context.cacheDirectory) } catch { throw CLIError("\(command): \(error)", kind: .failure) }
    let record = try withExtendedLifetime(lock) { try Runner.run(experiments, context: context, command: invocation) }
    let ran = record.items.filter { $0.status != "kept" }, failed = ran.filter { $0.status != "ok" }
    let kept = record.items.count - ran.count
    console.out("Wrote \(ran.count - failed.count) of \(ran.count) artefacts to \(context.outputDirectory.path) "
                + (kept > 0 ? "(index.html keeps \(kept) more from earlier runs) " : "")
                + "(open \(context.outputDirectory.path)/index.html) in \(String(format: "%.0f", record.wallSeconds)) s.\n")
    if !failed.isEmpty {
        throw CLIError("\(command): \(failed.count) artefact(s) failed: \(failed.map(\.id).joined(separator: ", "))", kind: .failure)
    }
}

/// `reproduce` with no command (or only options): every artefact.
public struct RunAllCommand: Command {
    public init() {}
    public let path = ["all"]
    public let summary = "Regenerate every table and figure of both papers (what plain 'reproduce' does)"
    public var usage: String {
        """
        Usage: reproduce [all] [--scale smoke|default|full] [--data DIR] [--out DIR] [--seed N] [--threads N]

        Runs every experiment of both papers (see 'reproduce list') and writes Markdown/CSV tables, SVG figures and
        \(("paper-figures/index.html")). Intermediate results are cached in .reproduce-cache by configuration, so an
        interrupted run continues where it stopped. Scales: \(Scale.allCases.map { "\($0.rawValue) = \($0.summary)" }.joined(separator: "; ")).
        """
    }
    public var options: [OptionSpec] { reproductionOptions }
    public func run(_ args: ParsedArguments, console: Console) throws {
        try runExperiments(Experiments.all, args, command: "reproduce", console: console)
    }
}

public struct ListCommand: Command {
    public init() {}
    public let path = ["list"]
    public let summary = "List every artefact reproduce can regenerate"
    public let usage = "Usage: reproduce list\n\nLists each table and figure with its id and what it took in a full default run from an empty cache."
    public let options: [OptionSpec] = []
    public func run(_ args: ParsedArguments, console: Console) throws {
        var out = ""
        for p in Paper.allCases {
            out += p.title + "\n"
            for e in Experiments.all where e.paper == p {
                out += "  \(e.id.padding(toLength: 22, withPad: " ", startingAt: 0))\(e.title)"
                    + (e.budgetMinutes >= 0.5 ? "  (~\(Int(e.budgetMinutes.rounded())) min)" : "") + "\n"
            }
        }
        out += """

            Minutes: an artefact's share of a full default run from an empty cache on 2 AVX-512 cores (AMD Zen 5; 3-4
            times as long on 2 AVX2 cores), where an artefact also trains what later ones reuse; with the cache filled,
            a re-run takes seconds (latencies too are read from the cache). Paper A trains on MS MARCO dev-small and
            tests on TREC DL 2019 and 2020 (both in every table). Paper A with a teacher stronger than the students:
            'reproduce paper-a --minilm-teacher'. Another seed: 'reproduce paper-a --seed 2021'.

            """
        console.out(out)
    }
}

public struct PaperCommand: Command {
    let paper: Paper
    public init(_ paper: Paper) { self.paper = paper }
    public var path: [String] { [paper.rawValue] }
    public var summary: String { "Regenerate every artefact of \(paper.title)" }
    public var usage: String {
        "Usage: reproduce \(paper.rawValue) [OPTIONS]\n\nRuns every experiment of \(paper.title)."
            + (paper == .marginMSE ? """

                With --scale full: the paper's own data (MS MARCO, the published T1/T2 teacher scores; 'reproduce fetch'
                gets them) and its Table C: six students cut from a BERT checkpoint, each trained without KD and from T1
                and T2 (streamed, checkpointed), re-ranking the BM25 top 1000 of dev-small (MRR@10) and DL19 (nDCG@10);
                its Table D: two of them trained from T2 with the other distillation losses; its Table E: the
                BERT_DOT students retrieving the top 1000 from the whole encoded collection; its Table B (the teachers,
                through their published scores) and Figures B (score ranges) and C (latency vs effectiveness).
                Days on CPUs; --train-only, then --shard I/N on several machines, then a plain run to merge and report.
                Docs/Paper-MarginMSE.md, "The full scale", says what it costs.
                """ : "")
    }
    public var options: [OptionSpec] { reproductionOptions + (paper == .marginMSE ? fullScaleOptions : []) }
    public func run(_ args: ParsedArguments, console: Console) throws {
        if paper == .marginMSE, args.string("scale") == Scale.full.rawValue {
            return try runFullScale(args, console: console)
        }
        if paper == .marginMSE,
           let used = fullScaleOptions.first(where: { $0.defaultValue == nil && (args.string($0.name) != nil || args.flag($0.name)) }) {
            throw CLIError("reproduce paper-a: --\(used.name) applies to --scale full only")
        }
        try runExperiments(Experiments.all.filter { $0.paper == paper }, args, command: "reproduce \(paper.rawValue)",
                           console: console)
    }
}

/// Options of `reproduce paper-a --scale full` (the paper's own data: Docs/Paper-MarginMSE.md, "The full scale").
let fullScaleOptions: [OptionSpec] = [
    .option("steps", value: "N", help: "--scale full: training steps per student (matchmaker's minimum before early stopping)",
            default: "\(FullScaleSettings.paperSteps)", rule: .int(atLeast: 1)),
    .option("batch-size", value: "N", help: "--scale full: triples per step (the paper's)",
            default: "\(FullScaleSettings.paperBatchSize)", rule: .int(1...4096)),
    .option("lr", value: "RATE", help: "--scale full: Adam peak learning rate (matchmaker's)",
            default: "\(FullScaleSettings.paperLearningRate)", rule: .number(atLeast: 0, exclusive: true, atMost: 1)),
    .option("distilbert", value: "DIR", help: "--scale full: a Hugging Face DistilBERT folder for the DistilBERT students, "
                + "PreTT, ColBERT and TK (else <data>/models/distilbert-base-uncased when there; without one they keep every "
                + "other layer of --model)"),
    .option("students", value: "NAME,…", help: "--scale full: train only these of the paper's students (e.g. "
                + "DistilBERT_DOT,TK; default all six)"),
    .option("shard", value: "I/N", help: "--scale full: re-rank only shard I of N of every test set with the trained students, "
                + "encode and search shard I of N of the collection with the BERT_DOT ones, and stop; a later run without "
                + "--shard merges the shards"),
    .flag("train-only", help: "--scale full: train (or resume) every student, then stop before re-ranking"),
    .option("time-budget", value: "HOURS", help: "--scale full: stop training cleanly after this long (the checkpoint "
                + "is kept; the same command goes on)", rule: .number(atLeast: 0, exclusive: true)),
    .option("checkpoint-every", value: "N", help: "--scale full: write a checkpoint every N steps",
            default: "\(FullScaleSettings.defaultCheckpointEvery)", rule: .int(atLeast: 1)),
    .option("latency-queries", value: "N", help: "--scale full: DL19 queries each student re-ranks, timed, for Figure C "
                + "(after one warm-up query)", default: "\(FullScaleSettings.defaultLatencyQueries)", rule: .int(atLeast: 1)),
]

/// `reproduce paper-a --scale full`: checks the inputs, then trains, re-ranks and reports (PaperAFullScale).
func runFullScale(_ args: ParsedArguments, console: Console) throws {
    let command = "reproduce paper-a"
    let data: String?
    do { data = try DataDirectory.resolve(explicit: args.string("data")) } catch { throw CLIError("\(command): \(error)") }
    guard let data, FullScale.missing(in: data).isEmpty else {
        throw CLIError("\(command): " + FullScale.refusal(dataDirectory: data), kind: .failure)
    }
    let model = args.string("model") ?? (data as NSString).appendingPathComponent("models/bert-base-uncased")
    let distilDefault = (data as NSString).appendingPathComponent("models/distilbert-base-uncased")
    let distil = args.string("distilbert")
        ?? (FileManager.default.fileExists(atPath: distilDefault + "/config.json") ? distilDefault : nil)
    var shard: Shard?
    if let text = args.string("shard") {
        guard let s = Shard(parsing: text) else {
            throw CLIError("\(command): --shard expects I/N with 0 ≤ I < N (e.g. 0/4), got '\(text)'")
        }
        shard = s
    }
    if let threads = try args.int("threads") { Kernels.threadCount = threads }
    let students = (args.string("students") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    let settings = FullScaleSettings(
        dataDirectory: URL(fileURLWithPath: data), modelDirectory: URL(fileURLWithPath: model),
        distilBERTDirectory: distil.map { URL(fileURLWithPath: $0) },
        outputDirectory: URL(fileURLWithPath: args.string("out") ?? "paper-figures/full-scale"),
        cacheDirectory: URL(fileURLWithPath: try args.string(defaulted: "cache")),
        steps: try args.int(defaulted: "steps"), batchSize: try args.int(defaulted: "batch-size"),
        learningRate: Float(try args.double(defaulted: "lr")), students: students, shard: shard,
        trainOnly: args.flag("train-only"), timeBudgetSeconds: try args.double("time-budget").map { $0 * 3600 },
        checkpointEvery: try args.int(defaulted: "checkpoint-every"),
        latencyQueries: try args.int(defaulted: "latency-queries"))
    do { try PaperAFullScale.check(settings) } catch { throw CLIError("\(command) --scale full: \(error)", kind: .failure) }
    let invocation = (["reproduce"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
    let lock: CacheLock
    do { lock = try CacheLock(settings.cacheDirectory) } catch { throw CLIError("\(command): \(error)", kind: .failure) }
    try withExtendedLifetime(lock) {
        do {
            try PaperAFullScale.run(settings, command: invocation) { console.err($0 + "\n") }
        } catch let e as CLIError { throw e } catch {
            throw CLIError("\(command) --scale full: \(error)", kind: .failure)
        }
    }
}

public struct ArtefactCommand: Command {
    let kind: Experiment.Kind
    public init(_ kind: Experiment.Kind) { self.kind = kind }
    public var path: [String] { [kind.rawValue] }
    public var summary: String { "Regenerate one \(kind.rawValue) (e.g. '\(kind == .table ? "table-c" : "figure-1")' or 'paper-a/\(kind == .table ? "table-c" : "figure-b")')" }
    public var usage: String {
        "Usage: reproduce \(kind.rawValue) NAME [OPTIONS]\n\nRuns the experiments whose name or id is NAME (see 'reproduce list')."
    }
    public var options: [OptionSpec] { reproductionOptions }
    public func run(_ args: ParsedArguments, console: Console) throws {
        guard let name = args.positionals.first else {
            throw CLIError("reproduce \(kind.rawValue): which one? Give a NAME from 'reproduce list'.")
        }
        let chosen = Experiments.select(name).filter { $0.kind == kind }
        try runExperiments(chosen, args, command: "reproduce \(kind.rawValue)", console: console)
    }
}
